package org.merpati.ejb.mailauth.dkim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The header data a signature covers (RFC 6376 section 3.7): the fields named in {@code h=}, each name taking
 * the lowest not yet used instance from the bottom (a name with no instance left adds nothing), canonicalized,
 * then the signature's own field with its {@code b=} value blanked and without a final CRLF.
 */
public final class SignedHeaderData {

    private SignedHeaderData() {
    }

    /**
     * @param header        the message header
     * @param names         the {@code h=} names in order
     * @param canon         the header canonicalization
     * @param signatureRaw  the signature field as written, {@code b=} blanked (see {@link #blankSignature})
     * @param exclude       a field never selected (the signature being verified), or null
     */
    public static byte[] build(MessageHeader header, List<String> names, Canonicalization canon, String signatureRaw,
                               HeaderField exclude) {
        StringBuilder data = new StringBuilder(1024);
        List<HeaderField> fields = header.fields();
        List<HeaderField> used = new ArrayList<>();
        for (String name : names) {
            for (int i = fields.size() - 1; i >= 0; i--) {
                HeaderField field = fields.get(i);
                if (field != exclude && field.hasName(name) && !containsSame(used, field)) {
                    used.add(field);
                    data.append(canon.header(field));
                    break;
                }
            }
        }
        data.append(canon.headerWithoutCrlf(signatureRaw));
        return data.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A signature field's raw text with the value of its {@code b=} tag removed (whitespace around it too). */
    public static String blankSignature(HeaderField field, TagList tags) {
        TagList.Span span = tags.span("b");
        int valueStart = field.raw().indexOf(':') + 1;
        return field.raw().substring(0, valueStart + span.start()) + field.raw().substring(valueStart + span.end());
    }

    private static boolean containsSame(List<HeaderField> used, HeaderField field) {
        for (HeaderField u : used) {
            if (u == field) {
                return true;
            }
        }
        return false;
    }
}
