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
}
