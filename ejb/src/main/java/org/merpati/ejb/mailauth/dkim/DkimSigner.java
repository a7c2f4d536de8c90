package org.merpati.ejb.mailauth.dkim;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Makes DKIM-Signature fields (and, for ARC, ARC-Message-Signature fields), relaxed/relaxed, never with
 * {@code l=}. {@code h=} lists each wanted field as often as it occurs, plus once more for the oversigned ones
 * (From by default) so that a field added later breaks the signature.
 */
public final class DkimSigner {

    /** The fields signed when the caller names none. */
    public static final List<String> DEFAULT_HEADERS = List.of("From", "To", "Cc", "Subject", "Date", "Message-ID",
            "In-Reply-To", "References", "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Reply-To");
    public static final List<String> DEFAULT_OVERSIGNED = List.of("From");

    private final List<String> headers;
    private final List<String> oversigned;

    public DkimSigner(List<String> headers, List<String> oversigned) {
        this.headers = List.copyOf(headers);
        this.oversigned = List.copyOf(oversigned);
    }

    public DkimSigner() {
        this(DEFAULT_HEADERS, DEFAULT_OVERSIGNED);
    }

    /** One DKIM-Signature field per key, folded, each ending in CRLF, hashing the body once. */
    public String sign(Path message, List<SigningKey> keys, long now) throws IOException {
        if (keys.isEmpty()) {
            return "";
        }
        MessageHeader header;
        BodyHash bodyHash = new BodyHash(Canonicalization.RELAXED, -1);
        try (InputStream buffered = new BufferedInputStream(Files.newInputStream(message), 65536)) {
            header = MessageHeader.read(buffered, MessageHeader.DEFAULT_MAX_BYTES);
            byte[] buffer = new byte[65536];
            int n;
            while ((n = buffered.read(buffer)) > 0) {
                bodyHash.update(buffer, 0, n);
            }
        }
        byte[] hash = bodyHash.finish();
        StringBuilder out = new StringBuilder();
        for (SigningKey key : keys) {
            out.append(sign(header, hash, key, DkimSignature.DKIM_HEADER, null, now));
        }
        return out.toString();
    }

    /** The {@code h=} list for {@code header}. */
    public List<String> signedHeaderNames(MessageHeader header) {
        List<String> names = new ArrayList<>();
        for (String name : headers) {
            int count = header.all(name).size();
            for (int i = 0; i < count; i++) {
                names.add(name);
            }
            if (oversigned.stream().anyMatch(name::equalsIgnoreCase)) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * One signature field, folded, ending in CRLF.
     *
     * @param fieldName  DKIM-Signature or ARC-Message-Signature
     * @param arcInstance the ARC instance for an ARC-Message-Signature (written as {@code i=}), else null
     */
    public String sign(MessageHeader header, byte[] bodyHash, SigningKey key, String fieldName, Integer arcInstance,
                       long now) throws IOException {
        List<String> names = signedHeaderNames(header);
        HeaderFolder folder = new HeaderFolder(fieldName);
        if (arcInstance != null) {
            folder.tag("i", List.of(Integer.toString(arcInstance)));
        } else {
            folder.tag("v", List.of("1"));
        }
        folder.tag("a", List.of(key.algorithm().tagValue()))
                .tag("c", List.of("relaxed/relaxed"))
                .tag("d", List.of(key.domain()))
                .tag("s", List.of(key.selector()))
                .tag("t", List.of(Long.toString(now)))
                .tag("h", HeaderFolder.headerNamePieces(names))
                .tag("bh", HeaderFolder.base64Pieces(Base64.getEncoder().encodeToString(bodyHash)))
                .open("b", 32);
        String unsigned = folder.text();
        byte[] data = SignedHeaderData.build(header, names, Canonicalization.RELAXED, unsigned, null);
        try {
            byte[] signature = Signatures.sign(key.algorithm(), key.privateKey(), data);
            folder.pieces(HeaderFolder.base64Pieces(Base64.getEncoder().encodeToString(signature)));
        } catch (GeneralSecurityException e) {
            throw new IOException("DKIM signing with " + key.selector() + "._domainkey." + key.domain() + " failed", e);
        }
        return folder.text() + "\r\n";
    }
}
