package org.merpati.ejb.service;

import jakarta.persistence.EntityManager;
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

    /** The special use of the folder that quarantined mail (DMARC p=quarantine) is delivered to. */
    public static final String JUNK_USE = "\\Junk";

    /**
     * The name of the account's {@code \Junk} mailbox (RFC 6154), inside the caller's transaction. An account
     * whose user deleted it gets it back: a mailbox named "Junk" is used as it is, else one is created with
     * the attribute. Flushes, so that the statements delivery runs next see the new row.
     */
    public static String junkMailbox(MailboxRepository mailboxes, long accountId) {
        EntityManager em = mailboxes.entityManager();
        List<String> names = em.createQuery("select m.name from MailboxEntity m where m.account.id = :account "
                        + "and m.specialUse = :use order by m.id", String.class)
                .setParameter("account", accountId).setParameter("use", JUNK_USE).setMaxResults(1).getResultList();
        if (!names.isEmpty()) {
            return names.get(0);
        }
        AccountEntity account = em.find(AccountEntity.class, accountId);
        if (account == null || mailboxes.findMailbox(account, "Junk").isPresent()) {
            return "Junk"; // a missing account is refused by the append itself
        }
        mailboxes.persist(new MailboxEntity(account, "Junk", JUNK_USE, UidValidityClock.next()));
        em.flush();
        return "Junk";
    }

    public static void createDefaults(MailboxRepository mailboxes, AccountEntity account) {
        long uidValidity = UidValidityClock.next();
        for (DefaultMailbox mailbox : DEFAULTS) {
            mailboxes.persist(new MailboxEntity(account, mailbox.name(), mailbox.specialUse(), uidValidity));
        }
    }
}
