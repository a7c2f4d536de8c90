package org.merpati.ejb.api;

/** A mail domain. {@code catchAll} is the catch-all target or null. */
public record DomainView(String name, String catchAll, long accounts) {
}
