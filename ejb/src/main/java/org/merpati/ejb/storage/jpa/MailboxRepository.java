package org.merpati.ejb.storage.jpa;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;

/** Queries over mailboxes, message rows and blob bookkeeping. */
public class MailboxRepository {

    private final EntityManager em;

    public MailboxRepository(EntityManager em) {
        this.em = em;
    }

    public Optional<MailboxEntity> findMailbox(AccountEntity account, String name) {
        return em.createQuery("select m from MailboxEntity m where m.account = :account and m.name = :name",
                        MailboxEntity.class)
                .setParameter("account", account).setParameter("name", name).getResultStream().findFirst();
    }

    /**
     * Finds the mailbox and locks its row until the transaction ends: the one place where UIDs are handed out
     * waits here, so two deliveries into one mailbox never see the same {@code uid_next}. The state is
     * re-read under the lock (refresh), never taken from an instance loaded earlier.
     */
    public Optional<MailboxEntity> lockMailbox(AccountEntity account, String name) {
        Optional<MailboxEntity> mailbox = findMailbox(account, name);
        mailbox.ifPresent(m -> em.refresh(m, LockModeType.PESSIMISTIC_WRITE));
        return mailbox;
    }

    public List<MailboxEntity> listMailboxes(AccountEntity account) {
        return em.createQuery("select m from MailboxEntity m where m.account = :account order by m.name",
                MailboxEntity.class).setParameter("account", account).getResultList();
    }

    public List<MessageEntity> listMessages(MailboxEntity mailbox) {
        return em.createQuery("select m from MessageEntity m where m.mailbox = :mailbox order by m.uid",
                MessageEntity.class).setParameter("mailbox", mailbox).getResultList();
    }

    /** The blob row, locked, or a new one: the reference count changes only under the lock. */
    public BlobEntity referenceBlob(String id, long size, java.time.Instant now) {
        BlobEntity blob = em.find(BlobEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (blob == null) {
            blob = new BlobEntity(id, size, now);
            em.persist(blob);
        }
        blob.addReference();
        return blob;
    }

    /**
     * Deletes the mailboxes and messages of an account, releasing blob references (files whose count drops to
     * zero are left to a collector: another transaction may be about to reference them again).
     */
    public void deleteAllOf(AccountEntity account) {
        List<Object[]> uses = em.createQuery("select m.blob.id, count(m) from MessageEntity m "
                + "where m.mailbox.account = :account group by m.blob.id", Object[].class)
                .setParameter("account", account).getResultList();
        for (Object[] use : uses) {
            BlobEntity blob = em.find(BlobEntity.class, use[0], LockModeType.PESSIMISTIC_WRITE);
            if (blob != null) {
                blob.releaseReferences((Long) use[1]);
            }
        }
        em.createQuery("delete from MessageEntity m where m.mailbox in "
                + "(select b from MailboxEntity b where b.account = :account)")
                .setParameter("account", account).executeUpdate();
        em.createQuery("delete from MailboxEntity b where b.account = :account")
                .setParameter("account", account).executeUpdate();
    }

    public void persist(Object entity) {
        em.persist(entity);
    }
}
