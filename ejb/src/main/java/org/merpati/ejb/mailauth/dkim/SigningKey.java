package org.merpati.ejb.mailauth.dkim;

import java.security.PrivateKey;

/** A private key and where its public half is published ({@code selector._domainkey.domain}). */
public record SigningKey(String domain, String selector, DkimAlgorithm algorithm, PrivateKey privateKey) {
}
