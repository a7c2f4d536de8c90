package org.merpati.ejb.mailauth.inbound;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds one Authentication-Results header field (RFC 8601). Every value that comes from outside — domains,
 * local parts, selectors, reasons — is written as a token or an address where its characters allow and as a
 * quoted-string otherwise; comments are escaped; CR, LF and other controls never reach the output, so no
 * value can end the field or start another.
 */
public final class AuthenticationResults {

    public static final String FIELD_NAME = "Authentication-Results";
    private static final int MAX_VALUE = 256;
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.0-9A-Z^_`a-z{|}~]+");
    private static final Pattern ADDRESS_OR_DOMAIN = Pattern.compile(
            "(?:(?:[!#$%&'*+\\-/=?^_`{|}~0-9A-Za-z]+(?:\\.[!#$%&'*+\\-/=?^_`{|}~0-9A-Za-z]+)*)?@)?"
                    + "[0-9A-Za-z_](?:[0-9A-Za-z_-]*[0-9A-Za-z_])?(?:\\.[0-9A-Za-z_](?:[0-9A-Za-z_-]*[0-9A-Za-z_])?)*");
    private static final Pattern KEYWORD = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern PROPERTY = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z][a-z0-9_-]*");

    private final String authservId;
    private final List<String> results = new ArrayList<>();

    public AuthenticationResults(String authservId) {
        this.authservId = authservId;
    }

    /**
     * Adds one resinfo.
     *
     * @param method     spf, dkim, dmarc, arc ...
     * @param result     the result keyword
     * @param comment    free text shown in parentheses after the result, or null
     * @param properties alternating property names ({@code smtp.mailfrom}) and values; null values are skipped
     */
    public AuthenticationResults add(String method, String result, String comment, String... properties) {
        requireKeyword(method);
        requireKeyword(result);
        StringBuilder resinfo = new StringBuilder(64).append(method).append('=').append(result);
        if (comment != null && !comment.isBlank()) {
            resinfo.append(" (").append(comment(comment)).append(')');
        }
        for (int i = 0; i + 1 < properties.length; i += 2) {
            if (properties[i + 1] == null) {
                continue;
            }
            if (!PROPERTY.matcher(properties[i]).matches()) {
                throw new IllegalArgumentException("not a property: " + properties[i]);
            }
            resinfo.append(' ').append(properties[i]).append('=').append(propertyValue(properties[i + 1]));
        }
        results.add(resinfo.toString());
        return this;
    }

    /** The field value, unfolded: {@code authserv-id; method=result ...; ...} (or {@code ; none}). */
    public String value() {
        return String.join("; ", head(), results.isEmpty() ? "none" : String.join("; ", results));
    }

    /** The whole field, one resinfo per line, ending in CRLF. */
    public String field() {
        StringBuilder out = new StringBuilder(FIELD_NAME).append(": ").append(head()).append(';');
        if (results.isEmpty()) {
            out.append(" none");
        }
        for (int i = 0; i < results.size(); i++) {
            out.append("\r\n\t").append(results.get(i));
            if (i + 1 < results.size()) {
                out.append(';');
            }
        }
        return out.append("\r\n").toString();
    }

    private String head() {
        return value(authservId);
    }

    private static void requireKeyword(String word) {
        if (!KEYWORD.matcher(word).matches()) {
            throw new IllegalArgumentException("not a keyword: " + word);
        }
    }

    /** A value (RFC 2045 token or quoted-string). */
    static String value(String raw) {
        String clean = clean(raw);
        return TOKEN.matcher(clean).matches() ? clean : quoted(clean);
    }

    /** A pvalue: an address or domain as is when its syntax allows, else a value. */
    static String propertyValue(String raw) {
        String clean = clean(raw);
        return ADDRESS_OR_DOMAIN.matcher(clean).matches() || TOKEN.matcher(clean).matches() ? clean : quoted(clean);
    }

    private static String quoted(String clean) {
        StringBuilder out = new StringBuilder(clean.length() + 2).append('"');
        for (int i = 0; i < clean.length(); i++) {
            char c = clean.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }

    private static String comment(String raw) {
        String clean = clean(raw);
        StringBuilder out = new StringBuilder(clean.length());
        for (int i = 0; i < clean.length(); i++) {
            char c = clean.charAt(i);
            if (c == '(' || c == ')' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Replaces controls (CR and LF above all) by a space, keeps printable ASCII and UTF-8 text (RFC 6532), bounds the length. */
    private static String clean(String raw) {
        if (raw == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(raw.length(), MAX_VALUE));
        for (int i = 0; i < raw.length() && out.length() < MAX_VALUE; i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                // a line break or other control becomes one space: it can never end the field
                if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
                    out.append(' ');
                }
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }
}
