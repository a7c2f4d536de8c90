package org.merpati.ejb.api;

/** An account as the admin API shows it: never the password hash. */
public record AccountView(String address, boolean admin, boolean enabled, long quotaBytes, long usedBytes) {
}
