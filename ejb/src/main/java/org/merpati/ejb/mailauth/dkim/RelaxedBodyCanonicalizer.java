package org.merpati.ejb.mailauth.dkim;

import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code relaxed} body canonicalization: runs of whitespace become one space, whitespace at line ends goes,
 * trailing empty lines (also those that held only whitespace) are dropped; an empty body stays empty.
 */
final class RelaxedBodyCanonicalizer extends BodyCanonicalizer {

    private boolean lineHasContent;
    private boolean pendingSpace;

    RelaxedBodyCanonicalizer(OutputStream sink) {
        super(sink);
    }

    @Override
    protected void content(int b) throws IOException {
        if (b == ' ' || b == '\t') {
            pendingSpace = true;
            return;
        }
        if (!lineHasContent) {
            flushEmptyLines();
            lineHasContent = true;
        }
        if (pendingSpace) {
            sink.write(' ');
            pendingSpace = false;
        }
        sink.write(b);
    }

    @Override
    protected boolean lineHasContent() {
        return lineHasContent;
    }

    @Override
    protected void resetLine() {
        lineHasContent = false;
        pendingSpace = false;
    }

    @Override
    protected void finishBody() {
        // an empty body hashes as nothing (RFC 6376 section 3.4.4, erratum 1384)
    }
}
