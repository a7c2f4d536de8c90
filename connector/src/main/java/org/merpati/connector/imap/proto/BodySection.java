package org.merpati.connector.imap.proto;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The {@code section} of BODY[section] / BINARY[section] (RFC 9051 section 6.4.5): a part path such as
 * {@code 1.2} and an optional text specifier.
 *
 * @param path   part numbers, empty for the whole message
 * @param text   null, {@code HEADER}, {@code HEADER.FIELDS}, {@code HEADER.FIELDS.NOT}, {@code TEXT} or {@code MIME}
 * @param fields header field names for the HEADER.FIELDS forms, upper case
 */
public record BodySection(List<Integer> path, String text, List<String> fields) {

    public static final BodySection WHOLE = new BodySection(List.of(), null, List.of());

    public BodySection {
        path = List.copyOf(path);
        fields = List.copyOf(fields);
    }

    /** Parses what is between the brackets; {@code args} stands just after '['; consumes the ']'. */
    public static BodySection parse(ImapArgs args, boolean binary) throws ImapSyntaxException {
        List<Integer> path = new ArrayList<>();
        String text = null;
        List<String> fields = List.of();
        while (args.peek() >= '0' && args.peek() <= '9') {
            long n = args.nzNumber();
            if (n > 100_000) {
                throw new ImapSyntaxException("part number too large");
            }
            path.add((int) n);
            if (!args.consume('.')) {
                break;
            }
            if (!(args.peek() >= '0' && args.peek() <= '9')) {
                if (binary) {
                    throw new ImapSyntaxException("BINARY takes part numbers only");
                }
                text = sectionText(args, !path.isEmpty());
                break;
            }
        }
        if (path.isEmpty() && args.peek() != ']') {
            if (binary) {
                throw new ImapSyntaxException("BINARY takes part numbers only");
            }
            text = sectionText(args, false);
        }
        if (text != null && text.startsWith("HEADER.FIELDS")) {
            args.sp();
            List<String> names = args.flagList();
            if (names.isEmpty()) {
                throw new ImapSyntaxException("empty header list");
            }
            fields = names.stream().map(s -> s.toUpperCase(Locale.ROOT)).toList();
        }
        args.expect(']');
        return new BodySection(path, text, fields);
    }

    private static String sectionText(ImapArgs args, boolean afterPart) throws ImapSyntaxException {
        String word = args.run(".").toUpperCase(Locale.ROOT);
        switch (word) {
            case "HEADER", "HEADER.FIELDS", "HEADER.FIELDS.NOT", "TEXT" -> {
                return word;
            }
            case "MIME" -> {
                if (!afterPart) {
                    throw new ImapSyntaxException("MIME needs a part number");
                }
                return word;
            }
            default -> throw new ImapSyntaxException("unknown section " + word);
        }
    }

    /** The section as the response names it, e.g. {@code 1.2.HEADER.FIELDS (FROM TO)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(path.stream().map(String::valueOf).collect(Collectors.joining(".")));
        if (text != null) {
            if (!path.isEmpty()) {
                sb.append('.');
            }
            sb.append(text);
            if (!fields.isEmpty()) {
                sb.append(" (").append(String.join(" ", fields)).append(')');
            }
        }
        return sb.toString();
    }
}
