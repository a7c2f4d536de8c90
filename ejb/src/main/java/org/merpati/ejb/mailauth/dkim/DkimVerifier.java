package org.merpati.ejb.mailauth.dkim;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.merpati.ejb.mailauth.DkimResult;

/**
 * Verifies every DKIM-Signature of a message (RFC 6376 section 6): the header block is read into memory (capped),
 * the body is hashed once per canonicalization and {@code l=} as it streams, keys come from a {@link KeyLookup}.
 * Results follow RFC 8601: pass, fail (hash or signature mismatch, expired), permerror (unusable signature or key
 * record, revoked key, too short an RSA key), temperror (DNS failure).
 */
public final class DkimVerifier {

    /** Signatures beyond this many are not checked (each costs a DNS question and a public-key operation). */
    public static final int MAX_SIGNATURES = 10;

    private final KeyFetcher keys;
    private final Clock clock;
    private final int maxHeaderBytes;

    public DkimVerifier(KeyLookup lookup, Clock clock, int maxHeaderBytes) {
        this.keys = new KeyFetcher(lookup);
        this.clock = clock;
        this.maxHeaderBytes = maxHeaderBytes;
    }

    public DkimVerifier(KeyLookup lookup) {
        this(lookup, Clock.systemUTC(), MessageHeader.DEFAULT_MAX_BYTES);
    }

    /** One result per DKIM-Signature field in header order. */
    public List<DkimResult> verify(Path message) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(message), 65536)) {
            return verify(in);
        }
    }

    /** As {@link #verify(Path)}, reading the message from {@code in}. */
    public List<DkimResult> verify(InputStream in) throws IOException {
        MessageHeader header;
        try {
            header = MessageHeader.read(in, maxHeaderBytes);
        } catch (HeaderTooLargeException e) {
            return List.of(new DkimResult("permerror", null, null, null, null, null, e.getMessage()));
        }
        List<HeaderField> fields = header.all(DkimSignature.DKIM_HEADER);
        if (fields.isEmpty()) {
            return List.of();
        }
        List<Object> parsed = new ArrayList<>();
        BodyHashes bodies = new BodyHashes();
        List<BodyHash> hashes = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            HeaderField field = fields.get(i);
            if (i >= MAX_SIGNATURES) {
                parsed.add(failed(field, DkimFailure.permerror("more than " + MAX_SIGNATURES + " signatures")));
                hashes.add(null);
                continue;
            }
            try {
                DkimSignature signature = DkimSignature.parse(field);
                parsed.add(signature);
                hashes.add(bodies.request(signature.bodyCanon(), signature.bodyLength()));
            } catch (DkimFailure e) {
                parsed.add(failed(field, e));
                hashes.add(null);
            }
        }
        bodies.consume(in);
        List<DkimResult> results = new ArrayList<>();
        for (int i = 0; i < parsed.size(); i++) {
            if (parsed.get(i) instanceof DkimSignature signature) {
                results.add(verify(header, signature, hashes.get(i)));
            } else {
                results.add((DkimResult) parsed.get(i));
            }
        }
        return results;
    }

    /** Checks one parsed signature against the message header and its finished body hash. */
    public DkimResult verify(MessageHeader header, DkimSignature signature, BodyHash body) {
        try {
            check(header, signature, body);
            return result(signature, "pass", null);
        } catch (DkimFailure e) {
            return result(signature, e.result(), e.getMessage());
        }
    }

    /**
     * Throws unless {@code signature} verifies: expiry, key record, {@code l=}, body hash and signature, in that
     * order.
     */
    public void check(MessageHeader header, DkimSignature signature, BodyHash body) throws DkimFailure {
        long now = clock.instant().getEpochSecond();
        if (signature.expiration() >= 0 && now > signature.expiration()) {
            throw DkimFailure.fail("signature expired");
        }
        DkimKeyRecord key = keys.fetch(signature.selector(), signature.domain(), signature.algorithm());
        if (key.strict() && signature.identity() != null) {
            String identityDomain = signature.identity().substring(signature.identity().lastIndexOf('@') + 1);
            if (!identityDomain.toLowerCase(Locale.ROOT).equals(signature.domain())) {
                throw DkimFailure.permerror("key record t=s forbids a subdomain in i=");
            }
        }
        byte[] bodyHash;
        try {
            bodyHash = body.finish();
        } catch (IOException e) {
            throw DkimFailure.temperror("body: " + e.getMessage());
        }
        if (signature.bodyLength() >= 0 && signature.bodyLength() > body.canonicalLength()) {
            throw DkimFailure.permerror("l= is longer than the body");
        }
        if (!MessageDigest.isEqual(bodyHash, signature.bodyHash())) {
            throw DkimFailure.fail("body hash did not verify");
        }
        byte[] data = SignedHeaderData.build(header, signature.signedHeaders(), signature.headerCanon(),
                SignedHeaderData.blankSignature(signature.field(), signature.tags()), signature.field());
        try {
            if (!Signatures.verify(signature.algorithm(), key.publicKey(), data, signature.signature())) {
                throw DkimFailure.fail("signature did not verify");
            }
        } catch (GeneralSecurityException e) {
            throw DkimFailure.permerror("key unusable: " + e.getMessage());
        }
    }

    private static DkimResult result(DkimSignature s, String result, String reason) {
        return new DkimResult(result, s.domain(), s.selector(), s.identity(), s.algorithm().tagValue(),
                s.signaturePrefix(), reason);
    }

    /** A result for a signature too broken to parse, with whatever tags could be read. */
    private static DkimResult failed(HeaderField field, DkimFailure failure) {
        String domain = null;
        String selector = null;
        String identity = null;
        String algorithm = null;
        String prefix = null;
        try {
            TagList tags = TagList.parse(field.value());
            domain = tags.get("d") == null ? null : tags.get("d").toLowerCase(Locale.ROOT);
            selector = tags.get("s");
            identity = tags.get("i") != null ? tags.get("i") : domain == null ? null : "@" + domain;
            algorithm = tags.get("a");
            if (tags.get("b") != null) {
                String b = TagList.compactBase64(tags.get("b"));
                prefix = b.substring(0, Math.min(8, b.length()));
            }
        } catch (IllegalArgumentException unreadable) {
            // nothing more to say than the failure
        }
        return new DkimResult(failure.result(), domain, selector, identity, algorithm, prefix, failure.getMessage());
    }
}
