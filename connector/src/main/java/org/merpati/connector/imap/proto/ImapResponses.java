package org.merpati.connector.imap.proto;

import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.merpati.connector.api.access.MailAccessException;

/**
 * Maps failures to tagged responses (RFC 5530 response codes): the one place where a
 * {@link MailAccessException.Kind} becomes IMAP. Anything unexpected is logged and becomes
 * {@code NO [SERVERBUG]} or {@code NO [UNAVAILABLE]}; no exception text other than a
 * {@link MailAccessException}'s message ever reaches the client.
 */
public final class ImapResponses {

    private static final Logger LOG = Logger.getLogger(ImapResponses.class.getName());

    private ImapResponses() {
    }

    /** The RFC 5530 code of a failure kind; {@code tryCreate} for COPY/MOVE/APPEND targets. */
    public static String code(MailAccessException.Kind kind, boolean tryCreate) {
        return switch (kind) {
            case NONEXISTENT -> tryCreate ? "TRYCREATE" : "NONEXISTENT";
            case ALREADY_EXISTS -> "ALREADYEXISTS";
            case NO_PERMISSION -> "NOPERM";
            case OVER_QUOTA -> "OVERQUOTA";
            case LIMIT -> "LIMIT";
            case CANNOT, INVALID -> "CANNOT";
            case UNAVAILABLE -> "UNAVAILABLE";
        };
    }

    /** The response (after the tag) for a failed endpoint call. */
    public static String failure(Throwable failure, boolean tryCreate, String sessionId) {
        Throwable t = unwrap(failure);
        if (t instanceof MailAccessException e) {
            return "NO [" + code(e.kind(), tryCreate) + "] " + clean(e.getMessage());
        }
        if (t instanceof RuntimeException || t instanceof Error) {
            LOG.log(Level.SEVERE, "IMAP endpoint call failed in session " + sessionId, t);
            return "NO [SERVERBUG] internal error, the failure has been logged";
        }
        LOG.log(Level.WARNING, "IMAP endpoint call failed in session " + sessionId, t);
        return "NO [UNAVAILABLE] temporary failure, try again later";
    }

    public static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException
            || t instanceof java.io.UncheckedIOException || t instanceof WrappedException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Text safe for a response line: printable ASCII only, bounded. */
    public static String clean(String text) {
        if (text == null || text.isBlank()) {
            return "failed";
        }
        StringBuilder sb = new StringBuilder();
        for (char c : text.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7f ? c : ' ');
            if (sb.length() >= 200) {
                break;
            }
        }
        return sb.toString().strip();
    }

    /** Carries a checked exception out of an endpoint call. */
    static final class WrappedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WrappedException(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}
