package org.merpati.connector.imap.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.merpati.connector.api.SessionInfo;
import org.merpati.connector.api.access.AclEntry;
import org.merpati.connector.api.access.AppendRequest;
import org.merpati.connector.api.access.AppendResult;
import org.merpati.connector.api.access.BodyPart;
import org.merpati.connector.api.access.CopyResult;
import org.merpati.connector.api.access.FlagOperation;
import org.merpati.connector.api.access.ImapListener;
import org.merpati.connector.api.access.MailAccessException;
import org.merpati.connector.api.access.MailboxChangeBus;
import org.merpati.connector.api.access.MailboxChanges;
import org.merpati.connector.api.access.MailboxInfo;
import org.merpati.connector.api.access.MailboxRights;
import org.merpati.connector.api.access.MailboxSnapshot;
import org.merpati.connector.api.access.MailboxStatus;
import org.merpati.connector.api.access.MessageData;
import org.merpati.connector.api.access.MessageEnvelope;
import org.merpati.connector.api.access.MessageFlags;
import org.merpati.connector.api.access.Namespaces;
import org.merpati.connector.api.access.QuotaUsage;
import org.merpati.connector.api.access.RightsList;
import org.merpati.connector.api.access.SearchKey;
import org.merpati.connector.api.access.StoreResult;

/**
 * An in-memory mail store behind the IMAP listener contract, one user, messages in temp files with their
 * structure computed by {@link TestMime}. Publishes on {@link MailboxChangeBus} after each change like the
 * real store. Mailbox ids start high so parallel tests with other fakes do not share bus subscriptions.
 */
public final class FakeImapListener implements ImapListener {

    public static final String USER = "alice@example.test";
    public static final String PASSWORD = "secret";
    private static final AtomicLong IDS = new AtomicLong(900_000 + (System.nanoTime() % 1000) * 1000);

    public final class Message {
        final long uid;
        long modseq;
        final Set<String> flags = new LinkedHashSet<>();
        final Instant internalDate;
        final Path file;
        final long size;
        final BodyPart structure;
        final MessageEnvelope envelope;

        Message(long uid, long modseq, Set<String> flags, Instant internalDate, Path file) {
            this.uid = uid;
            this.modseq = modseq;
            this.flags.addAll(flags);
            this.internalDate = internalDate;
            this.file = file;
            try {
                byte[] bytes = Files.readAllBytes(file);
                this.size = bytes.length;
                this.structure = TestMime.structure(bytes);
                this.envelope = TestMime.envelope(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        MessageData data(boolean withStructure) {
            return new MessageData(uid, modseq, flags, internalDate, internalDate, size, "E" + uid, null, file.toString(),
                withStructure ? envelope : null, withStructure ? structure : null);
        }
    }

    public final class Mailbox {
        public final long id = IDS.incrementAndGet();
        public String name;
        final long uidValidity = 1_700_000_000L + id;
        long uidNext = 1;
        long highestModseq = 1;
        boolean subscribed = true;
        String specialUse;
        /** The owner; mailboxes of other owners live under "Other Users/<owner>/". */
        String owner = USER;
        /** USER's rights on it (the owner has them all). */
        MailboxRights rights = MailboxRights.ALL;
        final Map<String, String> acl = new TreeMap<>();
        final TreeMap<Long, Message> messages = new TreeMap<>();
        final TreeMap<Long, Long> expungeLog = new TreeMap<>(); // uid -> modseq

        Mailbox(String name) {
            this.name = name;
        }

        MailboxStatus status() {
            long unseen = messages.values().stream().filter(m -> !m.flags.contains("\\Seen")).count();
            long deleted = messages.values().stream().filter(m -> m.flags.contains("\\Deleted")).count();
            long size = messages.values().stream().mapToLong(m -> m.size).sum();
            return new MailboxStatus(id, name, uidValidity, uidNext, highestModseq, messages.size(), unseen, deleted, size);
        }
    }

    private final Path dir;
    private final Map<String, Mailbox> mailboxes = new ConcurrentHashMap<>();
    public final List<String> calls = new CopyOnWriteArrayList<>();
    public volatile long quotaLimit = 10 * 1024 * 1024;

    public FakeImapListener(Path dir) {
        this.dir = dir;
        mailboxes.put("INBOX", new Mailbox("INBOX"));
    }

    public synchronized Mailbox mailbox(String name) {
        return mailboxes.get(name);
    }

    public synchronized Mailbox addMailbox(String name, String specialUse) {
        Mailbox m = new Mailbox(name);
        m.specialUse = specialUse;
        mailboxes.put(name, m);
        return m;
    }

    /**
     * Adds another owner's mailbox, shared with USER with the given rights: its name is
     * {@code Other Users/<owner>/<name>}.
     */
    public synchronized Mailbox addShared(String owner, String name, String rights) {
        Mailbox m = addMailbox(Namespaces.OTHER_USERS + owner + "/" + name, null);
        m.owner = owner;
        m.rights = MailboxRights.parse(rights);
        m.acl.put(USER, m.rights.letters());
        return m;
    }

    /**
     * Adds a public folder of USER's domain with USER's rights on it: its name is {@code Shared/<name>}, it has
     * no owner a user could name, and it counts against the shared quota root.
     */
    public synchronized Mailbox addPublic(String name, String rights) {
        Mailbox m = addMailbox(Namespaces.SHARED + name, null);
        m.owner = null;
        m.rights = MailboxRights.parse(rights);
        m.acl.put("anyone", m.rights.letters());
        return m;
    }

    /** Delivers a message (CRLF text) as if from outside, publishing the change. */
    public long deliver(String mailbox, String text, String... flags) {
        long uid;
        Mailbox m;
        synchronized (this) {
            m = mailboxes.get(mailbox);
            uid = add(m, text.getBytes(StandardCharsets.UTF_8), Set.of(flags), Instant.parse("2026-01-15T10:00:00Z"));
        }
        MailboxChangeBus.publish(m.id, m.highestModseq);
        return uid;
    }

    /** Sets flags as another client would, publishing the change. */
    public void setFlags(String mailbox, long uid, String... flags) {
        Mailbox m;
        synchronized (this) {
            m = mailboxes.get(mailbox);
            Message msg = m.messages.get(uid);
            msg.flags.clear();
            msg.flags.addAll(List.of(flags));
            msg.modseq = ++m.highestModseq;
        }
        MailboxChangeBus.publish(m.id, m.highestModseq);
    }

    /** Expunges as another client would, publishing the change. */
    public void expungeOutside(String mailbox, long uid) {
        Mailbox m;
        synchronized (this) {
            m = mailboxes.get(mailbox);
            m.messages.remove(uid);
            m.expungeLog.put(uid, ++m.highestModseq);
        }
        MailboxChangeBus.publish(m.id, m.highestModseq);
    }

    private long add(Mailbox m, byte[] content, Set<String> flags, Instant date) {
        try {
            Path file = Files.createTempFile(dir, "msg", ".eml");
            Files.write(file, content);
            long uid = m.uidNext++;
            m.messages.put(uid, new Message(uid, ++m.highestModseq, flags, date, file));
            return uid;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void check(SessionInfo s) throws MailAccessException {
        if (!USER.equals(s.authenticatedUser())) {
            throw new MailAccessException(MailAccessException.Kind.NO_PERMISSION, "not authenticated");
        }
    }

    private Mailbox byName(String name) throws MailAccessException {
        Mailbox m = mailboxes.get(name);
        if (m == null || !m.rights.hasAny("lr")) {
            throw new MailAccessException(MailAccessException.Kind.NONEXISTENT, "no such mailbox");
        }
        return m;
    }

    /** The right, else NONEXISTENT for an invisible mailbox (like the real store) or NO_PERMISSION. */
    private static void require(Mailbox m, char right) throws MailAccessException {
        if (m.rights.has(right)) {
            return;
        }
        throw m.rights.hasAny("lr") ? new MailAccessException(MailAccessException.Kind.NO_PERMISSION, "permission denied")
            : new MailAccessException(MailAccessException.Kind.NONEXISTENT, "no such mailbox");
    }

    private Mailbox byId(long id) throws MailAccessException {
        return mailboxes.values().stream().filter(m -> m.id == id).findFirst()
            .orElseThrow(() -> new MailAccessException(MailAccessException.Kind.NONEXISTENT, "no such mailbox"));
    }

    @Override
    public String authenticate(SessionInfo session, String authzid, String authcid, String password) {
        calls.add("authenticate " + authcid);
        if ("boom".equals(authcid)) {
            throw new IllegalStateException("simulated bug with secret internals");
        }
        return USER.equals(authcid) && PASSWORD.equals(password) && (authzid == null || authzid.equals(authcid)) ? USER : null;
    }

    @Override
    public synchronized List<MailboxInfo> listMailboxes(SessionInfo session) throws MailAccessException {
        check(session);
        List<MailboxInfo> out = new ArrayList<>();
        for (Mailbox m : mailboxes.values()) {
            if (m.rights.has('l')) {
                out.add(new MailboxInfo(m.id, m.name, m.specialUse, m.subscribed));
            }
        }
        return out;
    }

    @Override
    public synchronized MailboxStatus status(SessionInfo session, String mailbox) throws MailAccessException {
        check(session);
        Mailbox m = byName(mailbox);
        require(m, 'r');
        return m.status();
    }

    @Override
    public synchronized MailboxSnapshot select(SessionInfo session, String mailbox, boolean readOnly) throws MailAccessException {
        check(session);
        calls.add("select " + mailbox);
        Mailbox m = byName(mailbox);
        require(m, 'r');
        readOnly = readOnly || !m.rights.hasAny("iewst");
        long firstUnseen = m.messages.values().stream().filter(x -> !x.flags.contains("\\Seen")).mapToLong(x -> x.uid)
            .findFirst().orElse(0);
        Set<String> keywords = new java.util.TreeSet<>();
        m.messages.values().forEach(x -> x.flags.stream().filter(f -> !f.startsWith("\\")).forEach(keywords::add));
        return new MailboxSnapshot(m.status(), m.messages.keySet().stream().mapToLong(Long::longValue).toArray(), keywords,
            firstUnseen, readOnly);
    }

    @Override
    public synchronized MailboxInfo createMailbox(SessionInfo session, String mailbox, String specialUse) throws MailAccessException {
        check(session);
        if (mailboxes.containsKey(mailbox)) {
            throw new MailAccessException(MailAccessException.Kind.ALREADY_EXISTS, "mailbox exists");
        }
        Mailbox m = addMailbox(mailbox, specialUse);
        return new MailboxInfo(m.id, m.name, specialUse, false);
    }

    @Override
    public synchronized void deleteMailbox(SessionInfo session, String mailbox) throws MailAccessException {
        check(session);
        if (mailbox.equals("INBOX")) {
            throw new MailAccessException(MailAccessException.Kind.CANNOT, "INBOX cannot be deleted");
        }
        byName(mailbox);
        mailboxes.remove(mailbox);
    }

    @Override
    public synchronized void renameMailbox(SessionInfo session, String from, String to) throws MailAccessException {
        check(session);
        Mailbox m = byName(from);
        if (mailboxes.containsKey(to)) {
            throw new MailAccessException(MailAccessException.Kind.ALREADY_EXISTS, "target exists");
        }
        mailboxes.remove(from);
        m.name = to;
        mailboxes.put(to, m);
    }

    @Override
    public synchronized void setSubscribed(SessionInfo session, String mailbox, boolean subscribed) throws MailAccessException {
        check(session);
        byName(mailbox).subscribed = subscribed;
    }

    @Override
    public synchronized List<MessageData> fetch(SessionInfo session, long mailboxId, long[] uids, boolean withStructure)
        throws MailAccessException {
        check(session);
        calls.add("fetch " + uids.length);
        Mailbox m = byId(mailboxId);
        List<MessageData> out = new ArrayList<>();
        for (long uid : uids) {
            Message msg = m.messages.get(uid);
            if (msg != null) {
                out.add(msg.data(withStructure));
            }
        }
        return out;
    }

    @Override
    public StoreResult store(SessionInfo session, long mailboxId, long[] uids, FlagOperation operation, Set<String> flags,
                             long unchangedSince) throws MailAccessException {
        Mailbox m;
        StoreResult result;
        synchronized (this) {
            check(session);
            m = byId(mailboxId);
            if (!m.rights.hasAny("swt")) {
                require(m, 'w');
            }
            List<MessageFlags> changed = new ArrayList<>();
            List<Long> modified = new ArrayList<>();
            long modseq = 0; // like the real store: one MODSEQ for the whole STORE, taken at the first change
            for (long uid : uids) {
                Message msg = m.messages.get(uid);
                if (msg == null) {
                    continue;
                }
                if (unchangedSince >= 0 && msg.modseq > unchangedSince) {
                    modified.add(uid);
                    continue;
                }
                Set<String> before = new LinkedHashSet<>(msg.flags);
                switch (operation) {
                    case ADD -> msg.flags.addAll(flags);
                    case REMOVE -> msg.flags.removeAll(flags);
                    case REPLACE -> {
                        msg.flags.clear();
                        msg.flags.addAll(flags);
                    }
                    default -> throw new IllegalStateException();
                }
                if (!before.equals(msg.flags)) {
                    if (modseq == 0) {
                        modseq = ++m.highestModseq;
                    }
                    msg.modseq = modseq;
                    changed.add(new MessageFlags(uid, msg.modseq, msg.flags));
                }
            }
            result = new StoreResult(changed, modified.stream().mapToLong(Long::longValue).toArray());
        }
        if (!result.changed().isEmpty()) {
            MailboxChangeBus.publish(m.id, m.highestModseq);
        }
        return result;
    }

    @Override
    public long[] expunge(SessionInfo session, long mailboxId, long[] uids) throws MailAccessException {
        Mailbox m;
        long[] gone;
        synchronized (this) {
            check(session);
            m = byId(mailboxId);
            require(m, 'e');
            List<Long> out = new ArrayList<>();
            for (Message msg : new ArrayList<>(m.messages.values())) {
                boolean inSet = uids == null || Arrays.stream(uids).anyMatch(u -> u == msg.uid);
                if (inSet && msg.flags.contains("\\Deleted")) {
                    m.messages.remove(msg.uid);
                    m.expungeLog.put(msg.uid, ++m.highestModseq);
                    out.add(msg.uid);
                }
            }
            gone = out.stream().mapToLong(Long::longValue).toArray();
        }
        if (gone.length > 0) {
            MailboxChangeBus.publish(m.id, m.highestModseq);
        }
        return gone;
    }

    @Override
    public CopyResult copy(SessionInfo session, long mailboxId, long[] uids, String targetMailbox, boolean move)
        throws MailAccessException {
        Mailbox source;
        Mailbox target;
        CopyResult result;
        synchronized (this) {
            check(session);
            source = byId(mailboxId);
            target = byName(targetMailbox);
            List<Long> src = new ArrayList<>();
            List<Long> dst = new ArrayList<>();
            for (long uid : uids) {
                Message msg = source.messages.get(uid);
                if (msg == null) {
                    continue;
                }
                long newUid = target.uidNext++;
                target.messages.put(newUid, new Message(newUid, ++target.highestModseq, msg.flags, msg.internalDate, msg.file));
                src.add(uid);
                dst.add(newUid);
                if (move) {
                    source.messages.remove(uid);
                    source.expungeLog.put(uid, ++source.highestModseq);
                }
            }
            result = new CopyResult(target.id, target.uidValidity, src.stream().mapToLong(Long::longValue).toArray(),
                dst.stream().mapToLong(Long::longValue).toArray());
        }
        MailboxChangeBus.publish(target.id, target.highestModseq);
        if (move) {
            MailboxChangeBus.publish(source.id, source.highestModseq);
        }
        return result;
    }

    @Override
    public AppendResult append(SessionInfo session, String mailbox, Path spool, long size, Set<String> flags, Instant internalDate)
        throws MailAccessException {
        Mailbox m;
        long uid;
        synchronized (this) {
            check(session);
            m = byName(mailbox);
            require(m, 'i');
            try {
                byte[] bytes = Files.readAllBytes(spool);
                if (bytes.length != size) {
                    throw new MailAccessException(MailAccessException.Kind.INVALID, "size mismatch");
                }
                calls.add("append " + mailbox + " " + size);
                uid = add(m, bytes, flags, internalDate == null ? Instant.now() : internalDate);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        MailboxChangeBus.publish(m.id, m.highestModseq);
        return new AppendResult(m.id, m.uidValidity, uid, m.messages.get(uid).modseq);
    }

    /** All or nothing, like the real store: every file is read and the quota checked before anything is added. */
    @Override
    public List<AppendResult> appendAll(SessionInfo session, String mailbox, List<AppendRequest> requests)
        throws MailAccessException {
        Mailbox m;
        List<AppendResult> results = new ArrayList<>();
        synchronized (this) {
            check(session);
            m = byName(mailbox);
            require(m, 'i');
            List<byte[]> contents = new ArrayList<>();
            long total = 0;
            for (AppendRequest r : requests) {
                try {
                    byte[] bytes = Files.readAllBytes(r.spool());
                    if (bytes.length != r.size()) {
                        throw new MailAccessException(MailAccessException.Kind.INVALID, "size mismatch");
                    }
                    contents.add(bytes);
                    total += bytes.length;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (quota(session).usedBytes() + total > quotaLimit) {
                throw new MailAccessException(MailAccessException.Kind.OVER_QUOTA, "quota exceeded");
            }
            calls.add("appendAll " + mailbox + " " + requests.size());
            for (int i = 0; i < requests.size(); i++) {
                AppendRequest r = requests.get(i);
                long uid = add(m, contents.get(i), r.flags(), r.internalDate() == null ? Instant.now() : r.internalDate());
                results.add(new AppendResult(m.id, m.uidValidity, uid, m.messages.get(uid).modseq));
            }
        }
        MailboxChangeBus.publish(m.id, m.highestModseq);
        return results;
    }

    @Override
    public synchronized long[] search(SessionInfo session, long mailboxId, SearchKey key) throws MailAccessException {
        check(session);
        calls.add("search " + key.getClass().getSimpleName());
        Mailbox m = byId(mailboxId);
        return m.messages.values().stream().filter(msg -> matches(msg, key)).mapToLong(msg -> msg.uid).toArray();
    }

    private boolean matches(Message msg, SearchKey key) {
        if (key instanceof SearchKey.All) {
            return true;
        } else if (key instanceof SearchKey.And and) {
            return and.keys().stream().allMatch(k -> matches(msg, k));
        } else if (key instanceof SearchKey.Or or) {
            return matches(msg, or.left()) || matches(msg, or.right());
        } else if (key instanceof SearchKey.Not not) {
            return !matches(msg, not.key());
        } else if (key instanceof SearchKey.Uids u) {
            return Arrays.stream(u.ranges()).anyMatch(r -> msg.uid >= r[0] && msg.uid <= r[1]);
        } else if (key instanceof SearchKey.Flag f) {
            return msg.flags.contains(f.flag()) == f.set();
        } else if (key instanceof SearchKey.Header h) {
            String text = read(msg).toLowerCase(Locale.ROOT);
            int end = text.indexOf("\r\n\r\n");
            String header = end < 0 ? text : text.substring(0, end);
            return header.lines().anyMatch(l -> l.startsWith(h.field().toLowerCase(Locale.ROOT) + ":")
                && l.contains(h.value().toLowerCase(Locale.ROOT)));
        } else if (key instanceof SearchKey.Text t) {
            return read(msg).toLowerCase(Locale.ROOT).contains(t.value().toLowerCase(Locale.ROOT));
        } else if (key instanceof SearchKey.Size s) {
            return s.larger() ? msg.size > s.bytes() : msg.size < s.bytes();
        } else if (key instanceof SearchKey.ModSeq ms) {
            return msg.modseq >= ms.min();
        }
        return true;
    }

    private static String read(Message msg) {
        try {
            return Files.readString(msg.file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized MailboxChanges changesSince(SessionInfo session, long mailboxId, long modseq) throws MailAccessException {
        check(session);
        calls.add("changesSince " + modseq);
        Mailbox m = byId(mailboxId);
        List<MessageFlags> changed = new ArrayList<>();
        for (Message msg : m.messages.values()) {
            if (msg.modseq > modseq) {
                changed.add(new MessageFlags(msg.uid, msg.modseq, msg.flags));
            }
        }
        long[] expunged = m.expungeLog.entrySet().stream().filter(e -> e.getValue() > modseq).mapToLong(Map.Entry::getKey).toArray();
        return new MailboxChanges(m.highestModseq, m.uidNext, changed, expunged);
    }

    @Override
    public synchronized QuotaUsage quota(SessionInfo session) throws MailAccessException {
        check(session);
        return usage(false);
    }

    /** The limit of the shared quota root (public folders); 0 is unlimited. */
    public volatile long sharedQuotaLimit = 0;

    @Override
    public synchronized QuotaUsage quota(SessionInfo session, String root) throws MailAccessException {
        check(session);
        if (Namespaces.SHARED_ROOT.equals(root)) {
            return usage(true);
        }
        return ImapListener.super.quota(session, root);
    }

    @Override
    public synchronized QuotaUsage quotaOf(SessionInfo session, String mailbox) throws MailAccessException {
        status(session, mailbox);
        return usage(mailbox.startsWith(Namespaces.SHARED));
    }

    private QuotaUsage usage(boolean shared) {
        List<Mailbox> counted = mailboxes.values().stream().filter(m -> m.name.startsWith(Namespaces.SHARED) == shared)
            .toList();
        long used = counted.stream().flatMap(m -> m.messages.values().stream()).mapToLong(x -> x.size).sum();
        long count = counted.stream().mapToLong(m -> m.messages.size()).sum();
        return shared ? new QuotaUsage(used, sharedQuotaLimit, count, Namespaces.SHARED_ROOT)
            : new QuotaUsage(used, quotaLimit, count);
    }

    // ---- ACL: USER's rights are per mailbox; the other identifiers are just stored ----

    @Override
    public synchronized List<AclEntry> getAcl(SessionInfo session, String mailbox) throws MailAccessException {
        check(session);
        Mailbox m = byName(mailbox);
        require(m, 'a');
        List<AclEntry> out = new ArrayList<>();
        if (m.owner != null) { // public folders have no owner entry
            out.add(new AclEntry(m.owner, MailboxRights.ALL.toString()));
        }
        m.acl.forEach((id, rights) -> out.add(new AclEntry(id, MailboxRights.parse(rights).toString())));
        return out;
    }

    @Override
    public synchronized void setAcl(SessionInfo session, String mailbox, String identifier, FlagOperation operation,
                                    String rights) throws MailAccessException {
        check(session);
        calls.add("setacl " + mailbox + " " + identifier + " " + operation + " " + rights);
        Mailbox m = byName(mailbox);
        require(m, 'a');
        if (identifier.equals(m.owner)) {
            throw new MailAccessException(MailAccessException.Kind.CANNOT, "the owner always has every right");
        }
        MailboxRights current = m.acl.containsKey(identifier) ? MailboxRights.parse(m.acl.get(identifier)) : MailboxRights.NONE;
        MailboxRights given = MailboxRights.parse(rights);
        MailboxRights next = switch (operation) {
            case REPLACE -> given;
            case ADD -> current.union(given);
            case REMOVE -> current.minus(given);
        };
        if (next.isEmpty()) {
            m.acl.remove(identifier);
        } else {
            m.acl.put(identifier, next.letters());
        }
    }

    @Override
    public synchronized void deleteAcl(SessionInfo session, String mailbox, String identifier) throws MailAccessException {
        check(session);
        Mailbox m = byName(mailbox);
        require(m, 'a');
        m.acl.remove(identifier);
    }

    @Override
    public synchronized RightsList listRights(SessionInfo session, String mailbox, String identifier) throws MailAccessException {
        check(session);
        Mailbox m = byName(mailbox);
        require(m, 'a');
        if (identifier.equals(m.owner)) {
            return new RightsList(MailboxRights.ALL.toString(), List.of());
        }
        return new RightsList("", List.of("l", "r", "s", "w", "i", "p", "k", "x", "t", "e", "a", "c", "d"));
    }

    @Override
    public synchronized String myRights(SessionInfo session, String mailbox) throws MailAccessException {
        check(session);
        calls.add("myrights " + mailbox);
        Mailbox m = mailboxes.get(mailbox);
        if (m == null || !m.rights.hasAny("lrikxa")) {
            throw new MailAccessException(MailAccessException.Kind.NONEXISTENT, "no such mailbox");
        }
        return m.rights.toString();
    }
}
