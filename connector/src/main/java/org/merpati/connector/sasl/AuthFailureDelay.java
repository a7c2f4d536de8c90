package org.merpati.connector.sasl;

/**
 * How long a server waits before answering a failed login: the first failure waits the base delay, each
 * further one twice as long, capped. The wait runs on a timer with the session's input paused, so it costs a
 * password guesser time without costing the server a thread.
 */
public final class AuthFailureDelay {

    /** Delay before the first failed login is answered, when not configured otherwise. */
    public static final long DEFAULT_BASE_MILLIS = 1000;
    /** The longest delay, however many failures (unless the base delay itself is longer). */
    public static final long MAX_MILLIS = 15_000;

    private AuthFailureDelay() {
    }

    /**
     * @param baseMillis delay for the first failure; 0 turns the delay off
     * @param failures   failed logins so far in this session, counting the one being answered (1-based)
     */
    public static long millis(long baseMillis, int failures) {
        long delay = baseMillis << Math.min(Math.max(failures, 1) - 1, 20);
        return Math.min(delay, Math.max(baseMillis, MAX_MILLIS));
    }
}
