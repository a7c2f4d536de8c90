/**
 * The DKIM engine (RFC 6376, RFC 8463 ed25519-sha256, RFC 8301 key sizes), sans-IO apart from reading a message
 * file: the header block parser and unfolder ({@link org.merpati.ejb.mailauth.dkim.MessageHeader}), the tag-list
 * parser, simple and relaxed canonicalization with streaming body canonicalizers, key record parsing, and the
 * {@link org.merpati.ejb.mailauth.dkim.DkimSigner signer} and {@link org.merpati.ejb.mailauth.dkim.DkimVerifier
 * verifier}. Only the header block is held in memory; the body is hashed as it is read. ARC
 * ({@code org.merpati.ejb.mailauth.arc}) builds on the same pieces.
 */
package org.merpati.ejb.mailauth.dkim;
