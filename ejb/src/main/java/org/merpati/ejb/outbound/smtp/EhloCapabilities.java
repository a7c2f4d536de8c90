package org.merpati.ejb.outbound.smtp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The service extensions a server announced in its EHLO reply (RFC 5321 section 4.1.1.1): the first line is
 * the server's name and greeting, each further line an ehlo-keyword with optional parameters. Keywords are
 * case-insensitive. A HELO session has none.
 */
public final class EhloCapabilities {

    /** What a server that only answered HELO supports: nothing. */
    public static final EhloCapabilities NONE = new EhloCapabilities(Map.of());

    private final Map<String, List<String>> keywords;

    private EhloCapabilities(Map<String, List<String>> keywords) {
        this.keywords = keywords;
    }

    /** Parses the lines of a positive EHLO reply. */
    public static EhloCapabilities parse(SmtpReply ehloReply) {
        Map<String, List<String>> keywords = new LinkedHashMap<>();
        List<String> lines = ehloReply.lines();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] words = line.split("[ \t]+");
            String keyword = words[0].toUpperCase(Locale.ROOT);
            List<String> params = List.of(words).subList(1, words.length);
            // "AUTH=LOGIN PLAIN": the pre-standard form some servers still send beside "AUTH LOGIN PLAIN"
            if (keyword.startsWith("AUTH=")) {
                List<String> merged = new java.util.ArrayList<>(keywords.getOrDefault("AUTH", List.of()));
                merged.add(words[0].substring(5));
                merged.addAll(params);
                keywords.put("AUTH", List.copyOf(merged));
                continue;
            }
            if (keyword.equals("AUTH") && keywords.containsKey("AUTH")) {
                List<String> merged = new java.util.ArrayList<>(keywords.get("AUTH"));
                merged.addAll(params);
                params = merged;
            }
            keywords.put(keyword, List.copyOf(params));
        }
        return new EhloCapabilities(Collections.unmodifiableMap(keywords));
    }

    public boolean has(String keyword) {
        return keywords.containsKey(keyword.toUpperCase(Locale.ROOT));
    }

    /** Parameters of a keyword (empty when it has none or is absent). */
    public List<String> parameters(String keyword) {
        return keywords.getOrDefault(keyword.toUpperCase(Locale.ROOT), List.of());
    }

    public boolean pipelining() {
        return has("PIPELINING");
    }

    public boolean startTls() {
        return has("STARTTLS");
    }

    public boolean eightBitMime() {
        return has("8BITMIME");
    }

    public boolean smtpUtf8() {
        return has("SMTPUTF8");
    }

    public boolean dsn() {
        return has("DSN");
    }

    public boolean chunking() {
        return has("CHUNKING");
    }

    public boolean binaryMime() {
        return has("BINARYMIME");
    }

    public boolean size() {
        return has("SIZE");
    }

    /**
     * The server's fixed message size limit (RFC 1870): empty when SIZE is absent, has no parameter, has 0
     * (no fixed limit) or an unreadable one.
     */
    public OptionalLong sizeLimit() {
        List<String> params = parameters("SIZE");
        if (params.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long limit = Long.parseLong(params.get(0));
            return limit > 0 ? OptionalLong.of(limit) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** SASL mechanisms from the AUTH keyword, upper case. */
    public Set<String> authMechanisms() {
        Set<String> mechanisms = new LinkedHashSet<>();
        for (String mechanism : parameters("AUTH")) {
            mechanisms.add(mechanism.toUpperCase(Locale.ROOT));
        }
        return mechanisms;
    }

    /** The keywords, upper case, in the order the server listed them. */
    public Set<String> keywords() {
        return keywords.keySet();
    }

    @Override
    public String toString() {
        return String.join(" ", keywords.keySet());
    }
}
