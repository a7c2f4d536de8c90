package org.merpati.ejb.mailauth;

import java.io.IOException;
import java.nio.file.Path;

import jakarta.ejb.Local;

/** DKIM signing (RFC 6376, rsa-sha256 and RFC 8463 ed25519-sha256) with the keys kept per domain. */
@Local
public interface MessageSigning {

    /**
     * The DKIM-Signature header fields to prepend to {@code message}: one per active key of {@code domain}
     * (an RSA and an Ed25519 key give two), each folded and ending in CRLF; the empty string when the domain
     * has no key.
     */
    String dkimSignatures(String domain, Path message) throws IOException;

    /**
     * The next ARC set (RFC 8617: ARC-Seal, ARC-Message-Signature, ARC-Authentication-Results, in that order,
     * each folded and ending in CRLF) for a message this server forwards, signed with {@code domain}'s key;
     * the empty string when the domain has no key.
     *
     * @param authenticationResults this hop's verification results (the value of our Authentication-Results
     *                              field, starting with the authserv-id)
     */
    String arcSet(String domain, Path message, String authenticationResults) throws IOException;
}
