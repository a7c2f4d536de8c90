package org.merpati.ejb.service;

/** An account a message will be stored for. */
public record LocalTarget(long accountId, String address) {
}
