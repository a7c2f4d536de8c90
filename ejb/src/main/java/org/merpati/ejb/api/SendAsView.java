package org.merpati.ejb.api;

/**
 * Account {@code account} may submit mail as {@code address}: a mailbox address, or {@code @domain} for every
 * address of the domain.
 */
public record SendAsView(String account, String address) {
}
