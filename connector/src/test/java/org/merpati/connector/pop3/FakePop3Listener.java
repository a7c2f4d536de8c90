package org.merpati.connector.pop3;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.merpati.connector.api.SessionInfo;
import org.merpati.connector.api.access.AclEntry;
import org.merpati.connector.api.access.AppendRequest;
import org.merpati.connector.api.access.AppendResult;
import org.merpati.connector.api.access.CopyResult;
import org.merpati.connector.api.access.FlagOperation;
import org.merpati.connector.api.access.MailAccessException;
import org.merpati.connector.api.access.MailboxChanges;
import org.merpati.connector.api.access.MailboxInfo;
import org.merpati.connector.api.access.MailboxSnapshot;
import org.merpati.connector.api.access.MailboxStatus;
import org.merpati.connector.api.access.MessageData;
import org.merpati.connector.api.access.Pop3Listener;
import org.merpati.connector.api.access.QuotaUsage;
import org.merpati.connector.api.access.RightsList;
import org.merpati.connector.api.access.SearchKey;
import org.merpati.connector.api.access.StoreResult;

/**
 * An in-memory server behind the POP3 listener: accounts with passwords, each with an INBOX of messages stored
 * as files. Records the calls that change something, and the sessions it was called with.
 */
public final class FakePop3Listener implements Pop3Listener {

    public static final long UID_VALIDITY = 1700000000L;

    /** One stored message. */
    public record Stored(long uid, Path file, Set<String> flags) {
    }

    private final Path dir;
    private final Map<String, String> passwords = new ConcurrentHashMap<>();
    private final Map<String, TreeMap<Long, Stored>> inboxes = new ConcurrentHashMap<>();
    private final Map<String, Long> mailboxIds = new ConcurrentHashMap<>();
    /** "store user uids flags" and "expunge user uids", in call order. */
    public final List<String> changes = new CopyOnWriteArrayList<>();
    public final List<SessionInfo> sessions = new CopyOnWriteArrayList<>();
    /** Set to make select fail with this kind. */
    public volatile MailAccessException.Kind selectFailure;
    /** Set to make store fail with UNAVAILABLE (QUIT cannot apply deletions). */
    public volatile boolean storeDown;
    /** Set to make authenticate fail with UNAVAILABLE. */
    public volatile boolean directoryDown;
    private long nextUid = 1;

    public FakePop3Listener(Path dir) {
        this.dir = dir;
    }

    public synchronized void addAccount(String address, String password) {
        passwords.put(address, password);
        inboxes.put(address, new TreeMap<>());
        mailboxIds.put(address, (long) mailboxIds.size() + 100);
    }

    /** Stores a message (bytes exactly as given) and returns its UID. */
    public synchronized long addMessage(String address, String content) throws IOException {
        return addMessage(address, content.getBytes(StandardCharsets.UTF_8));
    }

    public synchronized long addMessage(String address, byte[] content) throws IOException {
        long uid = nextUid++;
        Path file = dir.resolve(address.replace('@', '_') + "-" + uid + ".eml");
        Files.write(file, content);
        inboxes.get(address).put(uid, new Stored(uid, file, new HashSet<>()));
        return uid;
    }

    /** The UIDs still in the account's INBOX. */
    public synchronized long[] uids(String address) {
        return inboxes.get(address).keySet().stream().mapToLong(Long::longValue).toArray();
    }

    private String user(SessionInfo session) throws MailAccessException {
        sessions.add(session);
        if (session.authenticatedUser() == null || !inboxes.containsKey(session.authenticatedUser())) {
            throw new MailAccessException(MailAccessException.Kind.NO_PERMISSION, "not logged in");
        }
        return session.authenticatedUser();
    }

    private TreeMap<Long, Stored> inbox(SessionInfo session, long mailboxId) throws MailAccessException {
        String user = user(session);
        if (mailboxIds.get(user) != mailboxId) {
            throw new MailAccessException(MailAccessException.Kind.NONEXISTENT, "no such mailbox");
        }
        return inboxes.get(user);
    }

    @Override
    public String authenticate(SessionInfo session, String authzid, String authcid, String password) throws MailAccessException {
        sessions.add(session);
        if (directoryDown) {
            throw new MailAccessException(MailAccessException.Kind.UNAVAILABLE, "directory down");
        }
        String expected = passwords.get(authcid.toLowerCase(java.util.Locale.ROOT));
        boolean ok = expected != null && expected.equals(password) && (authzid == null || authzid.equalsIgnoreCase(authcid));
        return ok ? authcid.toLowerCase(java.util.Locale.ROOT) : null;
    }

    @Override
    public synchronized MailboxSnapshot select(SessionInfo session, String mailbox, boolean readOnly) throws MailAccessException {
        String user = user(session);
        if (selectFailure != null) {
            throw new MailAccessException(selectFailure, "select refused");
        }
        if (!"INBOX".equalsIgnoreCase(mailbox)) {
            throw new MailAccessException(MailAccessException.Kind.NONEXISTENT, "no such mailbox");
        }
        TreeMap<Long, Stored> inbox = inboxes.get(user);
        long size = 0;
        for (Stored s : inbox.values()) {
            size += fileSize(s.file());
        }
        MailboxStatus status = new MailboxStatus(mailboxIds.get(user), "INBOX", UID_VALIDITY, nextUid, 1, inbox.size(), 0, 0, size);
        return new MailboxSnapshot(status, uids(user), Set.of(), 0, readOnly);
    }

    @Override
    public synchronized List<MessageData> fetch(SessionInfo session, long mailboxId, long[] uids, boolean withStructure)
        throws MailAccessException {
        TreeMap<Long, Stored> inbox = inbox(session, mailboxId);
        List<MessageData> out = new ArrayList<>();
        for (long uid : uids) {
            Stored s = inbox.get(uid);
            if (s != null) {
                out.add(new MessageData(uid, 1, s.flags(), Instant.EPOCH, Instant.EPOCH, fileSize(s.file()), "e" + uid, null,
                    s.file().toString(), null, null));
            }
        }
        return out;
    }

    @Override
    public synchronized StoreResult store(SessionInfo session, long mailboxId, long[] uids, FlagOperation operation,
                                          Set<String> flags, long unchangedSince) throws MailAccessException {
        TreeMap<Long, Stored> inbox = inbox(session, mailboxId);
        if (storeDown) {
            throw new MailAccessException(MailAccessException.Kind.UNAVAILABLE, "store down");
        }
        changes.add("store " + session.authenticatedUser() + " " + Arrays.toString(uids) + " " + operation + " " + flags);
        for (long uid : uids) {
            Stored s = inbox.get(uid);
            if (s != null && operation == FlagOperation.ADD) {
                s.flags().addAll(flags);
            }
        }
        return new StoreResult(List.of(), new long[0]);
    }

    @Override
    public synchronized long[] expunge(SessionInfo session, long mailboxId, long[] uids) throws MailAccessException {
        TreeMap<Long, Stored> inbox = inbox(session, mailboxId);
        changes.add("expunge " + session.authenticatedUser() + " " + Arrays.toString(uids));
        return Arrays.stream(uids).filter(uid -> {
            Stored s = inbox.get(uid);
            if (s != null && s.flags().contains("\\Deleted")) {
                inbox.remove(uid);
                return true;
            }
            return false;
        }).toArray();
    }

    private static long fileSize(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // a deliberately removed file (tests of unreadable messages)
        }
    }

    // ---------------------------------------------------------------- not used by POP3

    @Override
    public List<MailboxInfo> listMailboxes(SessionInfo session) {
        throw new UnsupportedOperationException();
    }

    @Override
    public MailboxStatus status(SessionInfo session, String mailbox) {
        throw new UnsupportedOperationException();
    }

    @Override
    public MailboxInfo createMailbox(SessionInfo session, String mailbox, String specialUse) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void deleteMailbox(SessionInfo session, String mailbox) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void renameMailbox(SessionInfo session, String from, String to) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setSubscribed(SessionInfo session, String mailbox, boolean subscribed) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CopyResult copy(SessionInfo session, long mailboxId, long[] uids, String targetMailbox, boolean move) {
        throw new UnsupportedOperationException();
    }

    @Override
    public AppendResult append(SessionInfo session, String mailbox, Path spool, long size, Set<String> flags, Instant internalDate) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<AppendResult> appendAll(SessionInfo session, String mailbox, List<AppendRequest> messages) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long[] search(SessionInfo session, long mailboxId, SearchKey key) {
        throw new UnsupportedOperationException();
    }

    @Override
    public MailboxChanges changesSince(SessionInfo session, long mailboxId, long modseq) {
        throw new UnsupportedOperationException();
    }

    @Override
    public QuotaUsage quota(SessionInfo session) {
        throw new UnsupportedOperationException();
    }

    // POP3 never uses access control lists: it works on the user's own INBOX only.

    @Override
    public List<AclEntry> getAcl(SessionInfo session, String mailbox) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setAcl(SessionInfo session, String mailbox, String identifier, FlagOperation operation, String rights) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void deleteAcl(SessionInfo session, String mailbox, String identifier) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RightsList listRights(SessionInfo session, String mailbox, String identifier) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String myRights(SessionInfo session, String mailbox) {
        throw new UnsupportedOperationException();
    }
}
