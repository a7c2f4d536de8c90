package org.merpati.ejb.api;

/** Alias {@code alias} delivers to {@code target}. */
public record AliasView(String alias, String target) {
}
