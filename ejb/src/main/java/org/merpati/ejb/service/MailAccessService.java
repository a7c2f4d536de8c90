package org.merpati.ejb.service;

import jakarta.annotation.Resource;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;
import org.merpati.connector.api.SessionInfo;
import org.merpati.connector.api.access.AclEntry;
import org.merpati.connector.api.access.AppendRequest;
import org.merpati.connector.api.access.AppendResult;
import org.merpati.connector.api.access.CopyResult;
import org.merpati.connector.api.access.FlagOperation;
import org.merpati.connector.api.access.MailAccessException;
import org.merpati.connector.api.access.MailAccessException.Kind;
import org.merpati.connector.api.access.MailboxChanges;
import org.merpati.connector.api.access.MailboxInfo;
import org.merpati.connector.api.access.MailboxSnapshot;
import org.merpati.connector.api.access.MailboxStatus;
import org.merpati.connector.api.access.MessageData;
import org.merpati.connector.api.access.QuotaUsage;
import org.merpati.connector.api.access.RightsList;
import org.merpati.connector.api.access.SearchKey;
import org.merpati.connector.api.access.StoreResult;
import org.merpati.ejb.domain.MailException;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.platform.StorageReadiness;
import org.merpati.ejb.storage.blob.BlobStore;

/**
 * Mailbox access for IMAP and POP3: the EJB shell over {@link MailboxManager}. Each call is one
 * container-managed transaction. {@link MailAccessException} is a checked (application) exception that
 * would not roll back by itself, so every refusal marks the transaction rollback-only before it leaves;
 * database and blob store failures become UNAVAILABLE (also rolled back). Changes are announced on the
 * {@link org.merpati.connector.api.access.MailboxChangeBus} after commit ({@link ChangeNotifier}).
 *
 * <p>The pure reads of the IMAP hot path (STATUS, SELECT/EXAMINE, FETCH, change reports) are
 * {@code SUPPORTS}: called from the endpoints (which run without a transaction) they run in none, which saves
 * the transaction manager's begin/commit and a COMMIT round trip per call. That is safe because they write
 * nothing and never relied on a multi-statement snapshot: at READ COMMITTED every statement already saw its
 * own snapshot, and they read the mailbox counters first and leave anything newer to the next change report
 * (see {@link MailboxManager#select}). Their row reads are bounded (UID ranges, keyset pages), so the
 * driver's result sets stay small without a cursor. SEARCH stays in a transaction: it streams candidate
 * rows through a cursor, which PostgreSQL only keeps open inside one.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRED)
public class MailAccessService implements MailAccess {

    private static final Logger LOG = Logger.getLogger(MailAccessService.class);
    private static final PasswordHasher HASHER = new PasswordHasher();

    @PersistenceContext(unitName = "merpati")
    private EntityManager em;

    @Resource
    private TransactionSynchronizationRegistry transactionRegistry;

    @Resource
    private SessionContext context;

    private final MerpatiConfig config = MerpatiConfig.current();

    private MailboxManager manager() {
        return new MailboxManager(em, new BlobStore(config.blobDir()), new ChangeNotifier(transactionRegistry));
    }

    @Override
    public String authenticate(SessionInfo session, String authzid, String authcid, String password)
            throws MailAccessException {
        return call("authenticate", () -> MailboxManager.authenticate(new DirectoryManager(em, HASHER, config),
                authzid, authcid, password));
    }

    @Override
    public List<MailboxInfo> listMailboxes(SessionInfo session) throws MailAccessException {
        return call("list", () -> manager().listMailboxes(session));
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public MailboxStatus status(SessionInfo session, String mailbox) throws MailAccessException {
        return call("status", () -> manager().status(session, mailbox));
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public MailboxSnapshot select(SessionInfo session, String mailbox, boolean readOnly) throws MailAccessException {
        return call("select", () -> manager().select(session, mailbox, readOnly));
    }

    @Override
    public MailboxInfo createMailbox(SessionInfo session, String mailbox, String specialUse)
            throws MailAccessException {
        return call("create", () -> manager().createMailbox(session, mailbox, specialUse));
    }

    @Override
    public void deleteMailbox(SessionInfo session, String mailbox) throws MailAccessException {
        call("delete", () -> {
            manager().deleteMailbox(session, mailbox);
            return null;
        });
    }

    @Override
    public void renameMailbox(SessionInfo session, String from, String to) throws MailAccessException {
        call("rename", () -> {
            manager().renameMailbox(session, from, to);
            return null;
        });
    }

    @Override
    public void setSubscribed(SessionInfo session, String mailbox, boolean subscribed) throws MailAccessException {
        call("subscribe", () -> {
            manager().setSubscribed(session, mailbox, subscribed);
            return null;
        });
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<MessageData> fetch(SessionInfo session, long mailboxId, long[] uids, boolean withStructure)
            throws MailAccessException {
        return call("fetch", () -> manager().fetch(session, mailboxId, uids, withStructure));
    }

    @Override
    public StoreResult store(SessionInfo session, long mailboxId, long[] uids, FlagOperation operation,
                             Set<String> flags, long unchangedSince) throws MailAccessException {
        return call("store", () -> manager().store(session, mailboxId, uids, operation, flags, unchangedSince));
    }

    @Override
    public long[] expunge(SessionInfo session, long mailboxId, long[] uids) throws MailAccessException {
        return call("expunge", () -> manager().expunge(session, mailboxId, uids));
    }

    @Override
    public CopyResult copy(SessionInfo session, long mailboxId, long[] uids, String targetMailbox, boolean move)
            throws MailAccessException {
        return call(move ? "move" : "copy", () -> manager().copy(session, mailboxId, uids, targetMailbox, move));
    }

    @Override
    public AppendResult append(SessionInfo session, String mailbox, Path spool, long size, Set<String> flags,
                               Instant internalDate) throws MailAccessException {
        return call("append", () -> manager().append(session, mailbox, spool, size, flags, internalDate));
    }

    @Override
    public List<AppendResult> appendAll(SessionInfo session, String mailbox, List<AppendRequest> messages)
            throws MailAccessException {
        return call("multiappend", () -> manager().appendAll(session, mailbox, messages));
    }

    @Override
    public long[] search(SessionInfo session, long mailboxId, SearchKey key) throws MailAccessException {
        return call("search", () -> manager().search(session, mailboxId, key));
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public MailboxChanges changesSince(SessionInfo session, long mailboxId, long modseq) throws MailAccessException {
        return call("changes", () -> manager().changesSince(session, mailboxId, modseq));
    }

    @Override
    public QuotaUsage quota(SessionInfo session) throws MailAccessException {
        return call("quota", () -> manager().quota(session));
    }

    @Override
    public QuotaUsage quota(SessionInfo session, String root) throws MailAccessException {
        return call("quota", () -> manager().quota(session, root));
    }

    @Override
    public QuotaUsage quotaOf(SessionInfo session, String mailbox) throws MailAccessException {
        return call("quotaroot", () -> manager().quotaOf(session, mailbox));
    }

    @Override
    public List<AclEntry> getAcl(SessionInfo session, String mailbox) throws MailAccessException {
        return call("getacl", () -> manager().getAcl(session, mailbox));
    }

    @Override
    public void setAcl(SessionInfo session, String mailbox, String identifier, FlagOperation operation, String rights)
            throws MailAccessException {
        call("setacl", () -> {
            manager().setAcl(session, mailbox, identifier, operation, rights);
            return null;
        });
    }

    @Override
    public void deleteAcl(SessionInfo session, String mailbox, String identifier) throws MailAccessException {
        call("deleteacl", () -> {
            manager().deleteAcl(session, mailbox, identifier);
            return null;
        });
    }

    @Override
    public RightsList listRights(SessionInfo session, String mailbox, String identifier) throws MailAccessException {
        return call("listrights", () -> manager().listRights(session, mailbox, identifier));
    }

    @Override
    public String myRights(SessionInfo session, String mailbox) throws MailAccessException {
        return call("myrights", () -> manager().myRights(session, mailbox));
    }

    /** One operation of the manager. */
    @FunctionalInterface
    private interface Operation<T> {
        T run() throws MailAccessException;
    }

    private <T> T call(String what, Operation<T> operation) throws MailAccessException {
        if (!StorageReadiness.isReady()) {
            throw new MailAccessException(Kind.UNAVAILABLE, "Storage is not ready");
        }
        try {
            return operation.run();
        } catch (MailAccessException e) {
            rollbackIfInTransaction();
            throw e;
        } catch (MailException e) {
            rollbackIfInTransaction();
            throw MailboxManager.translate(e);
        } catch (PersistenceException | UncheckedIOException e) {
            LOG.warnf(e, "Mailbox %s failed", what);
            rollbackIfInTransaction();
            throw new MailAccessException(Kind.UNAVAILABLE, "Temporary storage failure, try again");
        }
    }

    /** Marks the transaction rollback-only; a SUPPORTS read called without one has nothing to undo. */
    private void rollbackIfInTransaction() {
        if (transactionRegistry.getTransactionKey() != null) {
            context.setRollbackOnly();
        }
    }
}
