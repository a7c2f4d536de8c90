package org.merpati.ejb.mailauth.dkim;

import java.io.IOException;
import java.io.OutputStream;

/** {@code simple} body canonicalization: lines unchanged, trailing empty lines dropped, empty body = CRLF. */
final class SimpleBodyCanonicalizer extends BodyCanonicalizer {

    private boolean lineHasContent;

    SimpleBodyCanonicalizer(OutputStream sink) {
        super(sink);
    }

    @Override
    protected void content(int b) throws IOException {
        if (!lineHasContent) {
            flushEmptyLines();
            lineHasContent = true;
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
    }

    @Override
    protected void finishBody() throws IOException {
        if (!wroteAnyLine()) {
            sink.write(new byte[] {'\r', '\n'});
        }
    }
}
