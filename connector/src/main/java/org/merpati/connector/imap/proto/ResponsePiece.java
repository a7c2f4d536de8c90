package org.merpati.connector.imap.proto;

import java.nio.file.Path;

/** Part of a response as the transport sends it: bytes, or a streamed range of a stored message. */
public sealed interface ResponsePiece {

    record Bytes(byte[] bytes) implements ResponsePiece {
    }

    record FileRange(Path file, long offset, long length) implements ResponsePiece {
    }

    /** A range decoded from its transfer encoding, {@code skip} decoded bytes dropped, then {@code length} sent. */
    record Decoded(Path file, long offset, long rawLength, String encoding, long skip, long length) implements ResponsePiece {
    }

    /** Sends pieces through a transport. */
    static void writeAll(Iterable<ResponsePiece> pieces, ImapTransport transport) {
        for (ResponsePiece p : pieces) {
            if (p instanceof Bytes b) {
                transport.write(b.bytes());
            } else if (p instanceof FileRange f) {
                transport.writeFile(f.file(), f.offset(), f.length());
            } else if (p instanceof Decoded d) {
                transport.writeDecoded(d.file(), d.offset(), d.rawLength(), d.encoding(), d.skip(), d.length());
            }
        }
    }
}
