package org.merpati.connector.imap.proto;

import java.util.List;

/**
 * A framed command: its lines (CRLF and literal markers removed) with a literal between each two, so
 * {@code lines.size() == literals.size() + 1}.
 */
public record RawCommand(List<byte[]> lines, List<Literal> literals) {

    public RawCommand {
        lines = List.copyOf(lines);
        literals = List.copyOf(literals);
        if (lines.size() != literals.size() + 1) {
            throw new IllegalArgumentException("lines and literals do not alternate");
        }
    }

    /** A command without literals (tests). */
    public static RawCommand of(String line) {
        return new RawCommand(List.of(line.getBytes(java.nio.charset.StandardCharsets.UTF_8)), List.of());
    }

    /** Deletes any spool files (a command that failed or was answered). */
    public void discard() {
        for (Literal l : literals) {
            if (l.spool() != null) {
                l.spool().delete();
            }
        }
    }
}
