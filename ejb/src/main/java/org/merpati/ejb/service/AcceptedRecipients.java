package org.merpati.ejb.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolutions made when a recipient was accepted (RCPT), kept for the delivery of the same SMTP or LMTP
 * transaction, so that delivery does not resolve the address again (several directory queries per
 * recipient). Accepting a recipient is the moment the server decides where the message goes; what may have
 * changed since (account disabled or removed, mailbox gone) is checked again under the row locks at delivery.
 * Entries are taken once; those of transactions that never reach DATA expire. Submission uses it too.
 */
public final class AcceptedRecipients {

    private static final int MAX_ENTRIES = 20_000;
    private static final long TTL_NANOS = 10L * 60 * 1_000_000_000L;

    private record Entry(ResolvedRecipient resolved, long at) {
    }

    private static final Map<String, Entry> ENTRIES = new ConcurrentHashMap<>();

    private AcceptedRecipients() {
    }

    public static void remember(String sessionId, boolean authenticated, String address, ResolvedRecipient resolved) {
        if (ENTRIES.size() >= MAX_ENTRIES) {
            long now = System.nanoTime();
            ENTRIES.values().removeIf(e -> now - e.at() > TTL_NANOS);
            if (ENTRIES.size() >= MAX_ENTRIES) {
                ENTRIES.clear(); // a miss only costs a resolution at delivery
            }
        }
        ENTRIES.put(key(sessionId, authenticated, address), new Entry(resolved, System.nanoTime()));
    }

    /** The resolution made at RCPT in this session, or null (none, or expired). */
    public static ResolvedRecipient take(String sessionId, boolean authenticated, String address) {
        Entry entry = ENTRIES.remove(key(sessionId, authenticated, address));
        return entry == null || System.nanoTime() - entry.at() > TTL_NANOS ? null : entry.resolved();
    }

    private static String key(String sessionId, boolean authenticated, String address) {
        return sessionId + '\n' + authenticated + '\n' + address;
    }
}
