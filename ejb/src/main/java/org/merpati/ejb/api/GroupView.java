package org.merpati.ejb.api;

import java.util.List;

/** A distribution list and its member addresses. */
public record GroupView(String address, List<String> members) {
}
