package org.merpati.ejb.mailauth.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** The body hashes several signatures need, computed in one pass over the body (one per canonicalization and l=). */
public final class BodyHashes {

    private record Key(Canonicalization canonicalization, long limit) {
    }

    private final Map<Key, BodyHash> hashes = new LinkedHashMap<>();

    /** The hash for {@code canonicalization} and {@code limit} (-1 for none), shared by signatures that agree. */
    public BodyHash request(Canonicalization canonicalization, long limit) {
        return hashes.computeIfAbsent(new Key(canonicalization, limit), k -> new BodyHash(k.canonicalization(), k.limit()));
    }

    /** Reads the rest of {@code body} into every requested hash and finishes them. */
    public void consume(InputStream body) throws IOException {
        if (!hashes.isEmpty()) {
            byte[] buffer = new byte[65536];
            int n;
            while ((n = body.read(buffer)) > 0) {
                for (BodyHash hash : hashes.values()) {
                    hash.update(buffer, 0, n);
                }
            }
        }
        for (BodyHash hash : hashes.values()) {
            hash.finish();
        }
    }
}
