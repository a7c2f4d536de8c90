package org.merpati.connector.pop3.proto;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One POP3 session per account at a time within this JVM (RFC 1939 section 8: the maildrop is locked while a
 * session is in TRANSACTION). Static, so every POP3 listener of the adapter (e.g. 110 and 995) shares it. A
 * cluster would need a lock in the store; this covers one node.
 */
public final class MaildropLocks {

    private static final ConcurrentMap<String, Object> OWNERS = new ConcurrentHashMap<>();

    private MaildropLocks() {
    }

    /** @return whether {@code owner} now holds the lock of {@code account} (false when another session does) */
    public static boolean tryLock(String account, Object owner) {
        return OWNERS.putIfAbsent(key(account), owner) == null;
    }

    /** Releases the lock if {@code owner} holds it; otherwise does nothing. */
    public static void unlock(String account, Object owner) {
        OWNERS.remove(key(account), owner);
    }

    public static boolean isLocked(String account) {
        return OWNERS.containsKey(key(account));
    }

    private static String key(String account) {
        return account.toLowerCase(Locale.ROOT);
    }
}
