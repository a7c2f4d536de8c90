package org.merpati.ejb.service;

import java.util.List;
import org.merpati.ejb.storage.jpa.AccountEntity;
import org.merpati.ejb.storage.jpa.MailboxEntity;
import org.merpati.ejb.storage.jpa.MailboxRepository;

/** The mailboxes every new account gets, with their RFC 6154 special-use attributes. */
public final class MailboxProvisioner {

    /** A default mailbox name and its special use (null for INBOX). */
    public record DefaultMailbox(String name, String specialUse) {
    }

    public static final List<DefaultMailbox> DEFAULTS = List.of(
            new DefaultMailbox(MailboxAppender.INBOX, null),
            new DefaultMailbox("Sent", "\\Sent"),
            new DefaultMailbox("Drafts", "\\Drafts"),
            new DefaultMailbox("Trash", "\\Trash"),
            new DefaultMailbox("Junk", "\\Junk"),
            new DefaultMailbox("Archive", "\\Archive"));

    private MailboxProvisioner() {
    }

    public static void createDefaults(MailboxRepository mailboxes, AccountEntity account) {
        long uidValidity = UidValidityClock.next();
        for (DefaultMailbox mailbox : DEFAULTS) {
            mailboxes.persist(new MailboxEntity(account, mailbox.name(), mailbox.specialUse(), uidValidity));
        }
    }
}
