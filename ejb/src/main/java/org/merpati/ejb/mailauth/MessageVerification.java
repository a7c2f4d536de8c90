package org.merpati.ejb.mailauth;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * DKIM and ARC verification of a stored message file; public keys come from DNS. Implementations stream the
 * body (hash as read) and hold only the header in memory.
 */
public interface MessageVerification {

    /** One result per DKIM-Signature header field, in header order; empty when there is none. */
    List<DkimResult> verifyDkim(Path message) throws IOException;

    /** The ARC chain's validation result. */
    ArcResult verifyArc(Path message) throws IOException;
}
