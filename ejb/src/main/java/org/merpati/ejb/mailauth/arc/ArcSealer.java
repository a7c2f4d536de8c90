package org.merpati.ejb.mailauth.arc;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.merpati.ejb.mailauth.ArcResult;
import org.merpati.ejb.mailauth.dkim.BodyHash;
import org.merpati.ejb.mailauth.dkim.Canonicalization;
import org.merpati.ejb.mailauth.dkim.DkimSigner;
import org.merpati.ejb.mailauth.dkim.HeaderField;
import org.merpati.ejb.mailauth.dkim.MessageHeader;
import org.merpati.ejb.mailauth.dkim.SigningKey;
import org.merpati.ejb.mailauth.dkim.Signatures;

/**
 * Adds the next ARC set (RFC 8617 section 5.1) to a message this server forwards: ARC-Authentication-Results
 * with this hop's results, an ARC-Message-Signature over the message (relaxed/relaxed, the DKIM field list) and
 * an ARC-Seal over all sets with cv= from validating the chain as it arrived.
 */
public final class ArcSealer {

    private final ArcVerifier verifier;
    private final DkimSigner signer;

    public ArcSealer(ArcVerifier verifier, DkimSigner signer) {
        this.verifier = verifier;
        this.signer = signer;
    }

    /**
     * The new set as header fields to prepend (ARC-Seal, ARC-Message-Signature, ARC-Authentication-Results,
     * each folded and ending in CRLF); the empty string when the chain already has 50 sets.
     *
     * @param authenticationResults this hop's Authentication-Results value, starting with the authserv-id
     */
    public String seal(Path message, SigningKey key, String authenticationResults, long now) throws IOException {
        return seal(message, key, authenticationResults, now, verifier.verify(message));
    }

    /**
     * As {@link #seal(Path, SigningKey, String, long)}, with the chain validated earlier, before this server changed
     * the message (a list footer, say): cv= must say what arrived, the message signature covers what leaves.
     */
    public String seal(Path message, SigningKey key, String authenticationResults, long now, ArcResult arriving)
            throws IOException {
        int instance = arriving.instances() + 1;
        if (instance > ArcChain.MAX_INSTANCES) {
            return "";
        }
        String cv = switch (arriving.result()) {
            case "none" -> "none";
            case "pass" -> "pass";
            default -> "fail";
        };
        MessageHeader header;
        BodyHash body = new BodyHash(Canonicalization.RELAXED, -1);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(message), 65536)) {
            header = MessageHeader.read(in, MessageHeader.DEFAULT_MAX_BYTES);
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) > 0) {
                body.update(buffer, 0, n);
            }
        }
        String authResults = ArcSet.AUTHENTICATION_RESULTS + ": i=" + instance + "; " + unfoldable(authenticationResults);
        String messageSignature = signer.sign(header, body.finish(), key, ArcSet.MESSAGE_SIGNATURE, instance, now);
        String seal = seal(ArcChain.of(header), instance, cv, key, authResults, messageSignature, now);
        return seal + messageSignature + authResults + "\r\n";
    }

    /** The value trimmed, with any line break that is not a fold (CRLF + WSP) made a space: no field injection. */
    static String unfoldable(String value) {
        String text = value.strip();
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean fold = c == '\r' && i + 2 < text.length() && text.charAt(i + 1) == '\n'
                    && (text.charAt(i + 2) == ' ' || text.charAt(i + 2) == '\t');
            if (fold) {
                out.append("\r\n");
                i++;
            } else {
                out.append(c == '\r' || c == '\n' ? ' ' : c);
            }
        }
        return out.toString();
    }

    private static String seal(ArcChain previous, int instance, String cv, SigningKey key, String authResults,
                               String messageSignature, long now) throws IOException {
        SealBuilder builder = new SealBuilder(instance, key, cv, now);
        String unsigned = builder.unsigned();
        List<ArcSet> sets = new ArrayList<>();
        // a structurally broken chain has no order to hash in: the new set (cv=fail) is then sealed on its own
        if (previous.problem() == null) {
            sets.addAll(previous.sets());
        }
        sets.add(new ArcSet(instance, HeaderField.of(authResults),
                HeaderField.of(messageSignature.substring(0, messageSignature.length() - 2)), HeaderField.of(unsigned)));
        byte[] data = ArcSeal.signedData(sets, unsigned);
        try {
            byte[] signature = Signatures.sign(key.algorithm(), key.privateKey(), data);
            return builder.signed(Base64.getEncoder().encodeToString(signature)) + "\r\n";
        } catch (GeneralSecurityException e) {
            throw new IOException("ARC sealing with " + key.selector() + "._domainkey." + key.domain() + " failed", e);
        }
    }
}
