package org.merpati.ejb.mailauth.dmarc;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A DMARC policy record (RFC 7489 section 6.3). Unknown tags are ignored and tags with invalid values fall back
 * to their defaults (section 6.3: "syntax errors in the remainder of the record SHOULD be discarded in favor of
 * default values"); a missing or invalid p= (or an invalid sp=) makes the record p=none when rua= names at least
 * one valid URI, and unusable otherwise (section 6.6.3).
 *
 * @param policy          p=
 * @param subdomainPolicy sp=, or null when absent (p= applies)
 * @param strictDkim      adkim=s
 * @param strictSpf       aspf=s
 * @param percent         pct= (0 to 100, default 100)
 * @param aggregateUris   rua= (not acted on: Merpati sends no reports)
 * @param failureUris     ruf=
 * @param failureOptions  fo= (default "0")
 */
public record DmarcRecord(DmarcPolicy policy, DmarcPolicy subdomainPolicy, boolean strictDkim, boolean strictSpf,
                          int percent, List<String> aggregateUris, List<String> failureUris, String failureOptions) {

    /** Thrown for a record that must not be applied; the message says why. */
    public static final class InvalidRecordException extends Exception {
        InvalidRecordException(String message) {
            super(message, null, false, false);
        }
    }

    /** Whether a TXT record is a DMARC record at all: its first tag is exactly {@code v=DMARC1}. */
    public static boolean isDmarc1(String txt) {
        int semi = txt.indexOf(';');
        String first = (semi < 0 ? txt : txt.substring(0, semi)).strip();
        int eq = first.indexOf('=');
        return eq > 0 && first.substring(0, eq).strip().equals("v") && first.substring(eq + 1).strip().equals("DMARC1");
    }

    public static DmarcRecord parse(String txt) throws InvalidRecordException {
        if (!isDmarc1(txt)) {
            throw new InvalidRecordException("not a DMARC1 record");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (String part : txt.split(";")) {
            String tag = part.strip();
            if (tag.isEmpty()) {
                continue;
            }
            int eq = tag.indexOf('=');
            if (eq <= 0) {
                continue; // a malformed tag is discarded
            }
            tags.putIfAbsent(tag.substring(0, eq).strip().toLowerCase(Locale.ROOT), tag.substring(eq + 1).strip());
        }
        List<String> rua = uris(tags.get("rua"));
        List<String> ruf = uris(tags.get("ruf"));
        DmarcPolicy p = tags.containsKey("p") ? DmarcPolicy.parse(tags.get("p").toLowerCase(Locale.ROOT)) : null;
        DmarcPolicy sp = null;
        boolean spInvalid = false;
        if (tags.containsKey("sp")) {
            sp = DmarcPolicy.parse(tags.get("sp").toLowerCase(Locale.ROOT));
            spInvalid = sp == null;
        }
        if (p == null || spInvalid) {
            if (rua.isEmpty()) {
                throw new InvalidRecordException(p == null ? "no valid p= tag" : "invalid sp= tag");
            }
            p = DmarcPolicy.NONE;
            sp = null;
        }
        return new DmarcRecord(p, sp, "s".equalsIgnoreCase(tags.get("adkim")), "s".equalsIgnoreCase(tags.get("aspf")),
                percent(tags.get("pct")), rua, ruf, tags.getOrDefault("fo", "0"));
    }

    private static int percent(String value) {
        if (value == null || !value.matches("[0-9]{1,3}")) {
            return 100;
        }
        int pct = Integer.parseInt(value);
        return pct > 100 ? 100 : pct;
    }

    /** The syntactically valid URIs of a comma-separated list (section 6.4: a URI with an optional "!size"). */
    private static List<String> uris(String value) {
        List<String> valid = new ArrayList<>();
        if (value == null) {
            return valid;
        }
        for (String item : value.split(",")) {
            String uri = item.strip();
            int bang = uri.lastIndexOf('!');
            if (bang > 0 && uri.substring(bang + 1).matches("[0-9]+[kmgtKMGT]?")) {
                uri = uri.substring(0, bang);
            }
            try {
                URI parsed = new URI(uri);
                if (parsed.getScheme() != null && parsed.getSchemeSpecificPart() != null
                        && !parsed.getSchemeSpecificPart().isEmpty()) {
                    valid.add(uri);
                }
            } catch (URISyntaxException e) {
                // invalid URIs are ignored
            }
        }
        return List.copyOf(valid);
    }
}
