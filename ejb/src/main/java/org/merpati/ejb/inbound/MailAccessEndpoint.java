package org.merpati.ejb.inbound;

import jakarta.ejb.EJB;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.merpati.connector.api.SessionInfo;
import org.merpati.connector.api.access.AclEntry;
import org.merpati.connector.api.access.AppendRequest;
import org.merpati.connector.api.access.AppendResult;
import org.merpati.connector.api.access.CopyResult;
import org.merpati.connector.api.access.FlagOperation;
import org.merpati.connector.api.access.MailAccessException;
import org.merpati.connector.api.access.MailAccessListener;
import org.merpati.connector.api.access.MailboxChanges;
import org.merpati.connector.api.access.MailboxInfo;
import org.merpati.connector.api.access.MailboxSnapshot;
import org.merpati.connector.api.access.MailboxStatus;
import org.merpati.connector.api.access.MessageData;
import org.merpati.connector.api.access.QuotaUsage;
import org.merpati.connector.api.access.RightsList;
import org.merpati.connector.api.access.SearchKey;
import org.merpati.connector.api.access.StoreResult;
import org.merpati.ejb.service.MailAccess;

/**
 * What the IMAP and POP3 endpoints share: each call goes to {@link MailAccess}, which owns the transactions.
 * A system failure (database down, a bug) reaches the client as a temporary failure, never as a stack trace; the
 * cause is logged here, once, with the session id.
 */
abstract class MailAccessEndpoint implements MailAccessListener {

    private static final Logger LOG = Logger.getLogger(MailAccessEndpoint.class.getName());

    @EJB
    private MailAccess access;

    /** A call to the service that may fail with a system exception. */
    @FunctionalInterface
    private interface Call<T> {
        T run() throws MailAccessException;
    }

    private static <T> T guarded(SessionInfo session, String operation, Call<T> call) throws MailAccessException {
        try {
            return call.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session " + session.sessionId() + ": " + operation + " failed", e);
            throw new MailAccessException(MailAccessException.Kind.UNAVAILABLE,
                "Temporary server failure, try again later");
        }
    }

    @Override
    public String authenticate(SessionInfo session, String authzid, String authcid, String password)
        throws MailAccessException {
        return guarded(session, "authenticate", () -> access.authenticate(session, authzid, authcid, password));
    }

    @Override
    public List<MailboxInfo> listMailboxes(SessionInfo session) throws MailAccessException {
        return guarded(session, "list", () -> access.listMailboxes(session));
    }

    @Override
    public MailboxStatus status(SessionInfo session, String mailbox) throws MailAccessException {
        return guarded(session, "status", () -> access.status(session, mailbox));
    }

    @Override
    public MailboxSnapshot select(SessionInfo session, String mailbox, boolean readOnly) throws MailAccessException {
        return guarded(session, "select", () -> access.select(session, mailbox, readOnly));
    }

    @Override
    public MailboxInfo createMailbox(SessionInfo session, String mailbox, String specialUse) throws MailAccessException {
        return guarded(session, "create", () -> access.createMailbox(session, mailbox, specialUse));
    }

    @Override
    public void deleteMailbox(SessionInfo session, String mailbox) throws MailAccessException {
        guarded(session, "delete", () -> {
            access.deleteMailbox(session, mailbox);
            return null;
        });
    }

    @Override
    public void renameMailbox(SessionInfo session, String from, String to) throws MailAccessException {
        guarded(session, "rename", () -> {
            access.renameMailbox(session, from, to);
            return null;
        });
    }

    @Override
    public void setSubscribed(SessionInfo session, String mailbox, boolean subscribed) throws MailAccessException {
        guarded(session, "subscribe", () -> {
            access.setSubscribed(session, mailbox, subscribed);
            return null;
        });
    }

    @Override
    public List<MessageData> fetch(SessionInfo session, long mailboxId, long[] uids, boolean withStructure)
        throws MailAccessException {
        return guarded(session, "fetch", () -> access.fetch(session, mailboxId, uids, withStructure));
    }

    @Override
    public StoreResult store(SessionInfo session, long mailboxId, long[] uids, FlagOperation operation,
                             Set<String> flags, long unchangedSince) throws MailAccessException {
        return guarded(session, "store",
            () -> access.store(session, mailboxId, uids, operation, flags, unchangedSince));
    }

    @Override
    public long[] expunge(SessionInfo session, long mailboxId, long[] uids) throws MailAccessException {
        return guarded(session, "expunge", () -> access.expunge(session, mailboxId, uids));
    }

    @Override
    public CopyResult copy(SessionInfo session, long mailboxId, long[] uids, String targetMailbox, boolean move)
        throws MailAccessException {
        return guarded(session, move ? "move" : "copy",
            () -> access.copy(session, mailboxId, uids, targetMailbox, move));
    }

    @Override
    public AppendResult append(SessionInfo session, String mailbox, Path spool, long size, Set<String> flags,
                               Instant internalDate) throws MailAccessException {
        return guarded(session, "append", () -> access.append(session, mailbox, spool, size, flags, internalDate));
    }

    @Override
    public List<AppendResult> appendAll(SessionInfo session, String mailbox, List<AppendRequest> messages)
        throws MailAccessException {
        return guarded(session, "multiappend", () -> access.appendAll(session, mailbox, messages));
    }

    @Override
    public long[] search(SessionInfo session, long mailboxId, SearchKey key) throws MailAccessException {
        return guarded(session, "search", () -> access.search(session, mailboxId, key));
    }

    @Override
    public MailboxChanges changesSince(SessionInfo session, long mailboxId, long modseq) throws MailAccessException {
        return guarded(session, "changes", () -> access.changesSince(session, mailboxId, modseq));
    }

    @Override
    public QuotaUsage quota(SessionInfo session) throws MailAccessException {
        return guarded(session, "quota", () -> access.quota(session));
    }

    @Override
    public QuotaUsage quota(SessionInfo session, String root) throws MailAccessException {
        return guarded(session, "quota", () -> access.quota(session, root));
    }

    @Override
    public QuotaUsage quotaOf(SessionInfo session, String mailbox) throws MailAccessException {
        return guarded(session, "quotaroot", () -> access.quotaOf(session, mailbox));
    }

    @Override
    public List<AclEntry> getAcl(SessionInfo session, String mailbox) throws MailAccessException {
        return guarded(session, "getacl", () -> access.getAcl(session, mailbox));
    }

    @Override
    public void setAcl(SessionInfo session, String mailbox, String identifier, FlagOperation operation, String rights)
        throws MailAccessException {
        guarded(session, "setacl", () -> {
            access.setAcl(session, mailbox, identifier, operation, rights);
            return null;
        });
    }

    @Override
    public void deleteAcl(SessionInfo session, String mailbox, String identifier) throws MailAccessException {
        guarded(session, "deleteacl", () -> {
            access.deleteAcl(session, mailbox, identifier);
            return null;
        });
    }

    @Override
    public RightsList listRights(SessionInfo session, String mailbox, String identifier) throws MailAccessException {
        return guarded(session, "listrights", () -> access.listRights(session, mailbox, identifier));
    }

    @Override
    public String myRights(SessionInfo session, String mailbox) throws MailAccessException {
        return guarded(session, "myrights", () -> access.myRights(session, mailbox));
    }
}
