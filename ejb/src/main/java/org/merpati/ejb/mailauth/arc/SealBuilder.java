package org.merpati.ejb.mailauth.arc;

import org.merpati.ejb.mailauth.dkim.SigningKey;

/** The text of an ARC-Seal field: tags on one line, then the folded signature. */
final class SealBuilder {

    private final String unsigned;

    SealBuilder(int instance, SigningKey key, String cv, long now) {
        this.unsigned = ArcSet.SEAL + ": i=" + instance + "; a=" + key.algorithm().tagValue() + "; t=" + now
                + "; cv=" + cv + ";\r\n d=" + key.domain() + "; s=" + key.selector() + "; b=";
    }

    /** The field with an empty b= (what is signed). */
    String unsigned() {
        return unsigned;
    }

    /** The field with the signature, folded in 64-character lines. */
    String signed(String base64) {
        StringBuilder out = new StringBuilder(unsigned);
        for (int i = 0; i < base64.length(); i += 64) {
            out.append("\r\n ").append(base64, i, Math.min(base64.length(), i + 64));
        }
        return out.toString();
    }
}
