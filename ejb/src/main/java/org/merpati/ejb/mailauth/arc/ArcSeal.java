package org.merpati.ejb.mailauth.arc;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.merpati.ejb.mailauth.dkim.Canonicalization;
import org.merpati.ejb.mailauth.dkim.DkimAlgorithm;
import org.merpati.ejb.mailauth.dkim.DkimFailure;
import org.merpati.ejb.mailauth.dkim.DkimSignature;
import org.merpati.ejb.mailauth.dkim.HeaderField;
import org.merpati.ejb.mailauth.dkim.SignedHeaderData;
import org.merpati.ejb.mailauth.dkim.TagList;

/**
 * A parsed ARC-Seal (RFC 8617 section 4.1.3) and the data it signs: the ARC sets from instance 1 up to its own,
 * each as ARC-Authentication-Results, ARC-Message-Signature, ARC-Seal, relaxed-canonicalized, its own field last
 * with {@code b=} blanked and without CRLF.
 */
public record ArcSeal(HeaderField field, TagList tags, int instance, DkimAlgorithm algorithm, String chainValidation,
                      String domain, String selector, byte[] signature) {

    public static ArcSeal parse(HeaderField field) throws DkimFailure {
        TagList tags;
        try {
            tags = TagList.parse(field.value());
        } catch (IllegalArgumentException e) {
            throw DkimFailure.permerror("ARC-Seal syntax: " + e.getMessage());
        }
        for (String required : new String[] {"i", "a", "b", "cv", "d", "s"}) {
            if (!tags.has(required)) {
                throw DkimFailure.permerror("ARC-Seal missing " + required + "=");
            }
        }
        if (tags.has("h")) {
            throw DkimFailure.permerror("ARC-Seal with h=");
        }
        DkimAlgorithm algorithm = DkimAlgorithm.fromTag(tags.get("a"));
        if (algorithm == null) {
            throw DkimFailure.permerror("unsupported algorithm " + tags.get("a"));
        }
        String cv = tags.get("cv").toLowerCase(Locale.ROOT);
        if (!List.of("none", "pass", "fail").contains(cv)) {
            throw DkimFailure.permerror("bad cv=" + cv);
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(TagList.compactBase64(tags.get("b")));
        } catch (IllegalArgumentException e) {
            throw DkimFailure.permerror("ARC-Seal b= is not base64");
        }
        return new ArcSeal(field, tags, DkimSignature.instanceOf(tags), algorithm, cv,
                tags.get("d").toLowerCase(Locale.ROOT), tags.get("s"), signature);
    }

    /**
     * The data an ARC-Seal of instance {@code sets.size()} signs.
     *
     * @param sets       the sets 1..N, the last one holding the seal being made or checked
     * @param blankSeal  the last seal's raw text with its b= value blanked
     */
    public static byte[] signedData(List<ArcSet> sets, String blankSeal) {
        StringBuilder data = new StringBuilder(2048);
        Canonicalization relaxed = Canonicalization.RELAXED;
        for (int i = 0; i < sets.size(); i++) {
            ArcSet set = sets.get(i);
            data.append(relaxed.header(set.authResults()));
            data.append(relaxed.header(set.messageSignature()));
            if (i < sets.size() - 1) {
                data.append(relaxed.header(set.seal()));
            } else {
                data.append(relaxed.headerWithoutCrlf(blankSeal));
            }
        }
        return data.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** This seal's raw text with b= blanked. */
    public String blanked() {
        return SignedHeaderData.blankSignature(field, tags);
    }
}
