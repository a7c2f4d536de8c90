package org.merpati.ejb.outbound.smtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An MTA-STS policy (RFC 8461 section 3.2) and the sans-IO parts around it: parsing the policy file and the
 * {@code _mta-sts} TXT record, and matching MX host names against the policy's patterns (section 4.1).
 *
 * @param mode   enforce, testing or none
 * @param mx     the MX patterns, lower case ({@code mail.example.com} or {@code *.example.net})
 * @param maxAge seconds the policy may be cached
 */
public record MtaStsPolicy(Mode mode, List<String> mx, long maxAge) {

    public enum Mode { ENFORCE, TESTING, NONE }

    /** RFC 8461 section 3.2: max_age is at most 31557600 (about a year). */
    static final long MAX_AGE_LIMIT = 31_557_600L;

    public MtaStsPolicy {
        mx = List.copyOf(mx);
    }

    /** Parses a policy file; empty when it is not a valid STSv1 policy. */
    public static Optional<MtaStsPolicy> parse(String text) {
        String version = null;
        Mode mode = null;
        Long maxAge = null;
        List<String> mx = new ArrayList<>();
        for (String rawLine : text.split("\r?\n")) {
            int colon = rawLine.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = rawLine.substring(0, colon).strip();
            String value = rawLine.substring(colon + 1).strip();
            switch (key) {
                case "version" -> version = value;
                case "mode" -> {
                    switch (value) {
                        case "enforce" -> mode = Mode.ENFORCE;
                        case "testing" -> mode = Mode.TESTING;
                        case "none" -> mode = Mode.NONE;
                        default -> {
                            return Optional.empty();
                        }
                    }
                }
                case "max_age" -> {
                    if (!value.matches("\\d{1,10}")) {
                        return Optional.empty();
                    }
                    maxAge = Math.min(Long.parseLong(value), MAX_AGE_LIMIT);
                }
                case "mx" -> mx.add(value.toLowerCase(Locale.ROOT));
                default -> {
                    // unknown keys are ignored (section 3.2)
                }
            }
        }
        if (!"STSv1".equals(version) || mode == null || maxAge == null || (mode != Mode.NONE && mx.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new MtaStsPolicy(mode, mx, maxAge));
    }

    /**
     * The policy id from the {@code _mta-sts.<domain>} TXT records (section 3.1): exactly one record must begin
     * with {@code v=STSv1}; its {@code id} is 1 to 32 letters and digits. Empty when there is no usable record.
     */
    public static Optional<String> policyId(List<String> txtRecords) {
        String found = null;
        for (String record : txtRecords) {
            if (record.startsWith("v=STSv1")) {
                if (found != null) {
                    return Optional.empty(); // more than one: as if none (section 3.1)
                }
                found = record;
            }
        }
        if (found == null) {
            return Optional.empty();
        }
        for (String field : found.split(";")) {
            String f = field.strip();
            if (f.startsWith("id=")) {
                String id = f.substring(3).strip();
                return id.matches("[A-Za-z0-9]{1,32}") ? Optional.of(id) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Whether {@code host} is an MX this policy allows (a wildcard stands for exactly the left-most label). */
    public boolean allowsMx(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        for (String pattern : mx) {
            if (pattern.startsWith("*.")) {
                int dot = name.indexOf('.');
                if (dot > 0 && name.substring(dot + 1).equals(pattern.substring(2))) {
                    return true;
                }
            } else if (name.equals(pattern)) {
                return true;
            }
        }
        return false;
    }
}
