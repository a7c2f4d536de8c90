package org.merpati.ejb.service;

import java.util.concurrent.atomic.AtomicLong;

/**
 * UIDVALIDITY values: seconds since the epoch (fits the 32 bits IMAP allows until 2106), strictly increasing
 * within this JVM so that a mailbox deleted and re-created in the same second still gets a new value. Values
 * run ahead of the clock only by the number of mailbox sets created in one second, so a restart does not
 * reissue old values in practice.
 */
public final class UidValidityClock {

    private static final AtomicLong LAST = new AtomicLong();

    private UidValidityClock() {
    }

    public static long next() {
        long now = System.currentTimeMillis() / 1000;
        return LAST.updateAndGet(last -> Math.max(now, last + 1));
    }
}
