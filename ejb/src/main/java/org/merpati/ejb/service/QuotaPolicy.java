package org.merpati.ejb.service;

import org.merpati.ejb.domain.MailError;
import org.merpati.ejb.domain.MailException;
import org.merpati.ejb.storage.jpa.AccountEntity;

/** Storage quota: {@code used + incoming <= quota}; a quota of 0 is unlimited. */
public final class QuotaPolicy {

    private QuotaPolicy() {
    }

    /**
     * @param incomingBytes size of the message to add; unknown (-1) checks only that there is room left
     */
    public static void check(AccountEntity account, long incomingBytes) {
        check(account.getAddress(), account.getQuotaBytes(), account.getUsedBytes(), incomingBytes);
    }

    /** The same from the account's columns (a quota of 0 or less is unlimited). */
    public static void check(String address, long quota, long used, long incomingBytes) {
        if (quota <= 0) {
            return;
        }
        long incoming = Math.max(0, incomingBytes);
        boolean over = incoming == 0 ? used >= quota : used + incoming > quota;
        if (over) {
            throw new MailException(MailError.NO_QUOTA, "Mailbox of " + address + " is full");
        }
    }
}
