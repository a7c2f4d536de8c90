package org.merpati.ejb.mailauth.dkim;

import java.util.ArrayList;
import java.util.List;

/**
 * Folds a signature field built from tags so that lines stay under 78 characters (RFC 5322 section 2.1.1).
 * Breaks go between tags, and inside values only where the grammar allows whitespace: around the colons of
 * {@code h=} and anywhere in base64 values.
 */
final class HeaderFolder {

    private static final int WIDTH = 76;

    private final StringBuilder out = new StringBuilder(512);
    private int lineLength;

    HeaderFolder(String name) {
        out.append(name).append(':');
        lineLength = out.length();
    }

    /** Appends one tag followed by ';'; {@code pieces} are the value's parts between which a fold may go. */
    HeaderFolder tag(String tag, List<String> pieces) {
        open(tag, pieces.isEmpty() ? 0 : pieces.get(0).length() + 1);
        pieces(pieces);
        out.append(';');
        lineLength++;
        return this;
    }

    /** Appends {@code tag=} (after a space or a fold), leaving the value to {@link #pieces}. */
    HeaderFolder open(String tag, int firstPieceLength) {
        space(tag.length() + 1 + firstPieceLength);
        out.append(tag).append('=');
        lineLength += tag.length() + 1;
        return this;
    }

    /** Appends value parts, folding between them when a line would get too long. */
    HeaderFolder pieces(List<String> pieces) {
        for (String piece : pieces) {
            if (lineLength + piece.length() > WIDTH) {
                out.append("\r\n ");
                lineLength = 1;
            }
            out.append(piece);
            lineLength += piece.length();
        }
        return this;
    }

    /** A separating space, or a fold when {@code next} more characters would not fit. */
    private void space(int next) {
        if (lineLength + 1 + next > WIDTH) {
            out.append("\r\n ");
            lineLength = 1;
        } else {
            out.append(' ');
            lineLength++;
        }
    }

    /** Base64 in chunks that fill the lines. */
    static List<String> base64Pieces(String value) {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < value.length(); i += 32) {
            pieces.add(value.substring(i, Math.min(value.length(), i + 32)));
        }
        return pieces;
    }

    /** {@code h=} names, each with its colon, so folds go after colons. */
    static List<String> headerNamePieces(List<String> names) {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            pieces.add(i < names.size() - 1 ? names.get(i) + ":" : names.get(i));
        }
        return pieces;
    }

    String text() {
        return out.toString();
    }
}
