package org.merpati.ejb.service;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
import org.merpati.connector.api.access.MailboxRights;
import org.merpati.connector.api.access.MailboxSnapshot;
import org.merpati.connector.api.access.MailboxStatus;
import org.merpati.connector.api.access.MessageData;
import org.merpati.connector.api.access.MessageFlags;
import org.merpati.connector.api.access.QuotaUsage;
import org.merpati.connector.api.access.RightsList;
import org.merpati.connector.api.access.SearchKey;
import org.merpati.connector.api.access.StoreResult;
import org.merpati.ejb.api.Authenticator.AuthenticatedAccount;
import org.merpati.ejb.domain.MailException;
import org.merpati.ejb.mime.CachedStructure;
import org.merpati.ejb.search.MessageIndex;
import org.merpati.ejb.storage.blob.BlobStore;
import org.merpati.ejb.storage.jpa.AccountEntity;
import org.merpati.ejb.storage.jpa.BlobEntity;
import org.merpati.ejb.storage.jpa.DirectoryRepository;
import org.merpati.ejb.storage.jpa.ExpungedMessageEntity;
import org.merpati.ejb.storage.jpa.MailboxEntity;
import org.merpati.ejb.storage.jpa.MailboxRepository;
import org.merpati.ejb.storage.jpa.MailboxSql;
import org.merpati.ejb.storage.jpa.MailboxSql.OwnedMailbox;
import org.merpati.ejb.storage.jpa.MessageEntity;
import org.merpati.ejb.storage.jpa.MessageRow;
import org.merpati.ejb.storage.jpa.UidRanges;

/**
 * The rules of mailbox access for IMAP and POP3 (the {@code MailAccessListener} contract), in the caller's
 * transaction; {@link MailAccessService} is its EJB shell.
 *
 * <p>Tenancy: every call acts for {@code session.authenticatedUser()}. Names and ids are resolved by
 * {@link MailboxResolver}: personal names are the user's own mailboxes, {@code Other Users/<owner>/<name>} are
 * mailboxes other accounts of the domain shared (RFC 4314 ACL), and every operation checks the right it needs;
 * a mailbox the user may neither look up nor read, or another account's id, is NONEXISTENT. Locks, quota and
 * usage are always the owner's: messages count where they are stored.
 *
 * <p>Locks, in the order delivery ({@link MailboxAppender}) takes them, so nothing deadlocks: blob rows
 * (ascending id), then the account row, then mailbox rows (ascending id). Every UID and MODSEQ is handed out
 * with the mailbox row locked. A flag change takes one new MODSEQ for the whole operation; an expunge takes
 * one for all the UIDs it removes and writes them to the expunge log with it.
 */
public final class MailboxManager {

    /** Mailboxes one account may have: bounds LIST and RENAME work. */
    public static final int MAX_MAILBOXES = 10_000;

    private final DirectoryRepository directory;
    private final MailboxRepository mailboxes;
    private final MailboxSql sql;
    private final BlobStore blobs;
    private final ChangeNotifier notifier;

    public MailboxManager(EntityManager em, BlobStore blobs, ChangeNotifier notifier) {
        this.directory = new DirectoryRepository(em);
        this.mailboxes = new MailboxRepository(em);
        this.sql = new MailboxSql(em);
        this.blobs = blobs;
        this.notifier = notifier;
    }

    // ---- authentication ----

    /**
     * Checks the password with the directory; an authorization identity must name the same account (no
     * proxy authorization yet).
     *
     * @return the canonical account address, or null
     */
    public static String authenticate(DirectoryManager directory, String authzid, String authcid, String password) {
        if (authcid == null || password == null) {
            return null;
        }
        Optional<AuthenticatedAccount> account = directory.authenticate(authcid, password);
        if (account.isEmpty()) {
            return null;
        }
        String address = account.get().address();
        if (authzid != null && !authzid.isEmpty() && !authzid.equalsIgnoreCase(authcid)
                && !authzid.equalsIgnoreCase(address)) {
            return null;
        }
        return address;
    }

    // ---- mailboxes ----

    public List<MailboxInfo> listMailboxes(SessionInfo session) throws MailAccessException {
        AccountEntity account = account(session);
        List<MailboxInfo> out = new ArrayList<>(
                mailboxes.listMailboxes(account).stream().map(MailboxManager::info).toList());
        List<MailboxResolver.Resolved> shared = resolver(account).shared();
        if (!shared.isEmpty()) {
            // no special use: a shared \Sent must not become the sharee's Sent folder
            Set<Long> subscribed = mailboxes.subscribedSharedMailboxIds(account);
            shared.forEach(r -> out.add(new MailboxInfo(r.mailbox().getId(), r.name(), null,
                    subscribed.contains(r.mailbox().getId()))));
        }
        return out;
    }

    public MailboxStatus status(SessionInfo session, String name) throws MailAccessException {
        Optional<OwnedMailbox> own = ownMailbox(session, name);
        if (own.isPresent()) {
            OwnedMailbox m = own.get();
            long[] counts = sql.unseenAndDeleted(m.id());
            return new MailboxStatus(m.id(), m.name(), m.uidValidity(), m.uidNext(), m.highestModSeq(),
                    m.messageCount(), counts[0], counts[1], m.sizeBytes());
        }
        AccountEntity account = account(session);
        MailboxResolver.Resolved r = resolver(account).byName(name);
        MailboxResolver.require(r, 'r');
        return status(r.mailbox(), r.name());
    }

    public MailboxSnapshot select(SessionInfo session, String name, boolean readOnly) throws MailAccessException {
        Optional<OwnedMailbox> own = ownMailbox(session, name);
        if (own.isPresent()) { // the owner has every right: READ-ONLY only when asked (EXAMINE)
            OwnedMailbox m = own.get();
            // the counters came first (with the owner check); rows from UIDNEXT on are left to changesSince
            MailboxSql.SelectSummary rows = sql.selectSummary(m.id(), m.uidNext());
            MailboxStatus status = new MailboxStatus(m.id(), m.name(), m.uidValidity(), m.uidNext(),
                    m.highestModSeq(), rows.uids().length, rows.unseen(), rows.deleted(), m.sizeBytes());
            return new MailboxSnapshot(status, rows.uids(), keywordsInUse(rows.keywordLists()), rows.firstUnseen(),
                    readOnly);
        }
        AccountEntity account = account(session);
        MailboxResolver.Resolved resolved = resolver(account).byName(name);
        MailboxResolver.require(resolved, 'r');
        MailboxEntity mailbox = resolved.mailbox();
        // RFC 4314 section 5.2: READ-ONLY unless the user may insert, expunge or change some (shared) flag
        readOnly = readOnly || !resolved.rights().hasAny("iewst");
        // Counters first, UIDs after: every change up to this HIGHESTMODSEQ has committed, and anything
        // newer (UIDs from UIDNEXT on) is left to changesSince, so the session never misses a message.
        long uidNext = mailbox.getUidNext();
        long[] uids = java.util.Arrays.stream(mailboxes.uids(mailbox)).filter(u -> u < uidNext).toArray();
        MailboxStatus counters = status(mailbox, resolved.name());
        MailboxStatus status = new MailboxStatus(counters.id(), counters.name(), counters.uidValidity(), uidNext,
                counters.highestModseq(), uids.length, counters.unseen(), counters.deleted(), counters.sizeBytes());
        Set<String> keywords = keywordsInUse(mailboxes.distinctKeywordLists(mailbox));
        long firstUnseen = mailboxes.firstUnseenUid(mailbox);
        return new MailboxSnapshot(status, uids, keywords, firstUnseen < uidNext ? firstUnseen : 0, readOnly);
    }

    /** The keywords of the lists, each once (case-insensitively), in the spelling first met. */
    private static Set<String> keywordsInUse(java.util.Collection<String> keywordLists) {
        Set<String> keywords = new LinkedHashSet<>();
        Set<String> lower = new HashSet<>();
        for (String list : keywordLists) {
            for (String keyword : ImapFlags.splitKeywords(list)) {
                if (lower.add(keyword.toLowerCase(Locale.ROOT))) {
                    keywords.add(keyword);
                }
            }
        }
        return keywords;
    }

    public MailboxInfo createMailbox(SessionInfo session, String name, String specialUse)
            throws MailAccessException {
        AccountEntity user = account(session);
        String asked = MailboxNames.canonical(name);
        String stored = MailboxNames.storedSpecialUse(specialUse);
        MailboxResolver.Location location = creatable(resolver(user), user, asked);
        AccountEntity account = location.owner();
        String canonical = location.ownerName();
        if (account != user && stored != null) {
            throw new MailAccessException(Kind.CANNOT, "Special use is for the owner to set");
        }
        directory.lockAccount(account.getId()); // mailbox set changes of one account serialize here
        if (mailboxes.findMailbox(account, canonical).isPresent()) {
            throw new MailAccessException(Kind.ALREADY_EXISTS, "Mailbox exists: " + asked);
        }
        createParents(account, canonical);
        MailboxEntity mailbox = newMailbox(account, canonical, stored);
        mailboxes.flush();
        return account == user ? info(mailbox) : new MailboxInfo(mailbox.getId(), asked, null, false);
    }

    /**
     * Where CREATE (or RENAME's new name) puts a mailbox: the user's own account, or another owner's when the
     * user has "k" on the nearest existing parent there (RFC 4314 section 4). Every other case is the same
     * NO_PERMISSION, so it tells nothing about the other account's mailboxes (or whether the owner exists).
     */
    private MailboxResolver.Location creatable(MailboxResolver resolver, AccountEntity user, String canonical)
            throws MailAccessException {
        Optional<MailboxResolver.Location> location = resolver.locate(canonical);
        if (location.isPresent() && location.get().owner() == user) {
            return location.get();
        }
        if (location.isPresent()) {
            List<String> parents = MailboxNames.parents(location.get().ownerName());
            for (int i = parents.size() - 1; i >= 0; i--) {
                Optional<MailboxEntity> parent = mailboxes.findMailbox(location.get().owner(), parents.get(i));
                if (parent.isPresent()) {
                    if (resolver.rightsOn(parent.get()).has('k')) {
                        return location.get();
                    }
                    break;
                }
            }
        }
        throw new MailAccessException(Kind.NO_PERMISSION, "Permission denied: " + canonical);
    }

    public void deleteMailbox(SessionInfo session, String name) throws MailAccessException {
        AccountEntity user = account(session);
        String canonical = MailboxNames.canonical(name);
        if (MailboxNames.isInbox(canonical)) {
            throw new MailAccessException(Kind.CANNOT, "INBOX cannot be deleted");
        }
        MailboxResolver.Resolved resolved = resolver(user).byName(canonical);
        MailboxResolver.require(resolved, 'x');
        if (MailboxNames.isInbox(resolved.mailbox().getName())) {
            throw new MailAccessException(Kind.CANNOT, "INBOX cannot be deleted");
        }
        removeMailbox(resolved.owner(), resolved.mailbox());
    }

    /**
     * Deletes one mailbox of {@code account} with its messages, releasing blob references and the owner's
     * usage, and tells sessions that selected it. Rights are the caller's business (DELETE, the admin's public
     * folder deletion).
     */
    void removeMailbox(AccountEntity account, MailboxEntity mailbox) throws MailAccessException {
        Map<String, BlobEntity> locked = mailboxes.lockBlobs(mailboxes.blobUses(mailbox).keySet());
        directory.lockAccount(account.getId());
        lockOrVanished(mailbox);
        // recount under the lock: a message may have arrived since; its blob is locked late (rare)
        Map<String, Long> uses = mailboxes.blobUses(mailbox);
        Set<String> missing = new TreeSet<>(uses.keySet());
        missing.removeAll(locked.keySet());
        locked.putAll(mailboxes.lockBlobs(missing));
        uses.forEach((id, count) -> {
            BlobEntity blob = locked.get(id);
            if (blob != null) {
                blob.releaseReferences(count);
            }
        });
        account.addUsedBytes(-mailbox.getSizeBytes());
        long id = mailbox.getId();
        long modSeq = mailbox.getHighestModSeq() + 1;
        mailboxes.deleteMailbox(mailbox);
        mailboxes.flush();
        notifier.mailboxChanged(id, modSeq); // sessions that selected it find it gone
    }

    public void renameMailbox(SessionInfo session, String from, String to) throws MailAccessException {
        AccountEntity user = account(session);
        String askedSource = MailboxNames.canonical(from);
        String askedTarget = MailboxNames.canonical(to);
        if (askedSource.equals(askedTarget) || MailboxNames.isInbox(askedTarget)) {
            throw new MailAccessException(Kind.ALREADY_EXISTS, "Mailbox exists: " + askedTarget);
        }
        // RFC 4314: "x" on the mailbox, "k" on the new parent; both names must stay with one owner
        MailboxResolver resolver = resolver(user);
        MailboxResolver.Resolved resolved = resolver.byName(askedSource);
        MailboxResolver.require(resolved, 'x');
        MailboxResolver.Location into = creatable(resolver, user, askedTarget);
        if (!Objects.equals(into.owner().getId(), resolved.owner().getId())) {
            throw new MailAccessException(Kind.CANNOT, "Cannot move a mailbox to another user");
        }
        AccountEntity account = resolved.owner();
        String source = resolved.mailbox().getName();
        String target = into.ownerName();
        if (MailboxNames.isInbox(target)) {
            throw new MailAccessException(Kind.ALREADY_EXISTS, "Mailbox exists: " + askedTarget);
        }
        if (!MailboxNames.isInbox(source) && MailboxNames.isSelfOrChild(target, source)) {
            throw new MailAccessException(Kind.CANNOT, "Cannot rename a mailbox into itself");
        }
        directory.lockAccount(account.getId());
        MailboxEntity mailbox = mailboxes.findMailbox(account, source) // deleted meanwhile?
                .orElseThrow(() -> MailboxResolver.nonexistent(askedSource));
        if (mailboxes.findMailbox(account, target).isPresent()) {
            throw new MailAccessException(Kind.ALREADY_EXISTS, "Mailbox exists: " + target);
        }
        if (MailboxNames.isInbox(source)) {
            renameInbox(account, mailbox, target);
            return;
        }
        Map<MailboxEntity, String> renames = new LinkedHashMap<>();
        List<MailboxEntity> all = mailboxes.listMailboxes(account);
        Set<String> names = new HashSet<>();
        all.forEach(m -> names.add(m.getName()));
        for (MailboxEntity m : all) {
            if (MailboxNames.isSelfOrChild(m.getName(), source)) {
                String newName = target + m.getName().substring(source.length());
                if (newName.length() > MailboxNames.MAX_LENGTH) {
                    throw new MailAccessException(Kind.INVALID, "Mailbox name is too long: " + newName);
                }
                if (names.contains(newName)) {
                    throw new MailAccessException(Kind.ALREADY_EXISTS, "Mailbox exists: " + newName);
                }
                renames.put(m, newName);
            }
        }
        renames.forEach(MailboxEntity::setName);
        mailboxes.flush();
        createParents(account, target);
        mailboxes.flush();
    }

    /**
     * RFC 9051 section 6.3.6: renaming INBOX moves its messages to a new mailbox of that name and leaves
     * INBOX empty; INBOX's children stay where they are. The messages keep their UIDs under the new
     * mailbox's own UIDVALIDITY; for INBOX they are expunges.
     */
    private void renameInbox(AccountEntity account, MailboxEntity inbox, String target) throws MailAccessException {
        createParents(account, target);
        mailboxes.lock(inbox);
        MailboxEntity moved = new MailboxEntity(account, target, null, UidValidityClock.next());
        moved.setSubscribed(false);
        moved.takeOverCounters(inbox);
        mailboxes.persist(moved);
        mailboxes.flush();
        long[] uids = mailboxes.uids(inbox);
        mailboxes.moveAllMessages(inbox, moved);
        MessageIndex.reindexMailbox(mailboxes.entityManager(), moved.getId()); // a bulk update is not indexed
        if (uids.length > 0) {
            long modSeq = inbox.nextModSeq();
            for (long uid : uids) {
                mailboxes.persist(new ExpungedMessageEntity(inbox.getId(), uid, modSeq));
            }
            inbox.release(inbox.getMessageCount(), inbox.getSizeBytes());
            mailboxes.flush();
            notifier.mailboxChanged(inbox.getId(), modSeq);
        }
    }

    public void setSubscribed(SessionInfo session, String name, boolean subscribed) throws MailAccessException {
        AccountEntity account = account(session);
        MailboxResolver.Resolved r = resolver(account).byName(name);
        if (r.ownedBy(account)) {
            r.mailbox().setSubscribed(subscribed);
        } else {
            // RFC 4314: SUBSCRIBE needs "l"; UNSUBSCRIBE none, but an invisible mailbox stays NONEXISTENT
            if (subscribed || !r.rights().hasAny("lr")) {
                MailboxResolver.require(r, 'l');
            }
            if (subscribed) {
                r.mailbox().getSubscribers().add(account.getId());
            } else {
                r.mailbox().getSubscribers().remove(account.getId());
            }
        }
        mailboxes.flush();
    }

    // ---- messages ----

    public List<MessageData> fetch(SessionInfo session, long mailboxId, long[] uids, boolean withStructure)
            throws MailAccessException {
        List<MessageData> out = new ArrayList<>();
        String address = address(session);
        UidRanges ranges = uids == null ? null : UidRanges.of(uids);
        if (address != null && ranges != null && sql.ownedRows(address, mailboxId, ranges, withStructure,
                row -> out.add(messageData(row, withStructure)))) {
            return out; // the owner's messages, ownership checked by the same statement
        }
        long id = readable(session, mailboxId).id(); // no row: not the owner's, or no such messages
        if (ranges == null) {
            return out;
        }
        sql.rows(id, ranges, withStructure, row -> out.add(messageData(row, withStructure)));
        return out;
    }

    private MessageData messageData(MessageRow row, boolean withStructure) {
        return new MessageData(row.uid(), row.modSeq(), ImapFlags.of(row).toImap(), row.internalDate(),
                row.savedDate(), row.sizeBytes(), emailId(row.blobId()), null,
                blobs.pathOf(row.blobId()).toString(),
                withStructure ? CachedStructure.envelope(row.envelope()) : null,
                withStructure ? CachedStructure.bodyStructure(row.bodyStructure()) : null);
    }

    /** EMAILID (RFC 8474): the content's blob, so every copy of the same bytes has the same id. */
    static String emailId(String blobId) {
        return "M" + blobId;
    }

    public StoreResult store(SessionInfo session, long mailboxId, long[] uids, FlagOperation operation,
                             Set<String> flags, long unchangedSince) throws MailAccessException {
        String address = address(session);
        Optional<OwnedMailbox> own = address == null ? Optional.empty() : sql.ownedById(address, mailboxId);
        if (own.isPresent()) {
            ImapFlags given = ImapFlags.parse(flags);
            if (operation == null) {
                throw new MailAccessException(Kind.INVALID, "No flag operation");
            }
            if (given.keywords().isEmpty()) { // system flags only: one UPDATE per batch
                return storeSystemFlags(own.get().id(), uids, operation, given, unchangedSince);
            }
            return storeOwnKeywords(own.get().id(), uids, operation, given, unchangedSince);
        }
        AccountEntity account = account(session);
        ImapFlags given = ImapFlags.parse(flags);
        if (operation == null) {
            throw new MailAccessException(Kind.INVALID, "No flag operation");
        }
        MailboxResolver.Resolved resolved = selected(account, mailboxId);
        MailboxEntity mailbox = resolved.mailbox();
        MailboxRights rights = resolved.rights();
        if (!FlagRights.mayChangeAny(operation, given, rights)
                && (operation == FlagOperation.REPLACE || !given.toImap().isEmpty())) {
            throw MailboxResolver.denied(resolved);
        }
        List<MessageFlags> changed = new ArrayList<>();
        List<Long> modified = new ArrayList<>();
        if (uids == null || uids.length == 0) {
            return new StoreResult(changed, new long[0]);
        }
        lockOrVanished(mailbox);
        long modSeq = 0;
        for (UidRanges batch : UidRanges.of(uids).batches(UidRanges.RANGES_PER_QUERY)) {
            List<MessageEntity> messages = mailboxes.messages(mailbox, batch);
            for (MessageEntity m : messages) {
                if (unchangedSince >= 0 && m.getModSeq() > unchangedSince) {
                    modified.add(m.getUid());
                    continue;
                }
                ImapFlags current = ImapFlags.of(m);
                // flags the user has no right to change keep their value (RFC 4314 section 4)
                ImapFlags next = FlagRights.limit(current, current.apply(operation, given), rights);
                if (next.sameAs(current)) {
                    continue;
                }
                if (modSeq == 0) {
                    modSeq = mailbox.nextModSeq();
                }
                next.writeTo(m, modSeq);
                changed.add(new MessageFlags(m.getUid(), modSeq, next.toImap()));
            }
            mailboxes.flush();
            messages.forEach(mailboxes::detach); // a STORE over a big mailbox keeps one batch in memory
        }
        if (modSeq != 0) {
            notifier.mailboxChanged(mailbox.getId(), modSeq);
        }
        return new StoreResult(changed, modified.stream().mapToLong(Long::longValue).toArray());
    }

    /** Locks the owner's mailbox row for a set-based change; returns its HIGHEST MODSEQ. */
    private long lockOwnMailbox(long mailboxId) throws MailAccessException {
        long highest = sql.lockMailbox(mailboxId);
        if (highest < 0) {
            throw new MailAccessException(Kind.NONEXISTENT, "Mailbox was deleted");
        }
        return highest;
    }

    /**
     * STORE of system flags on the owner's mailbox (every right), set-based: the mailbox row locked, the
     * CONDSTORE refusals read, then one UPDATE per batch of UID ranges changes only the messages whose flags
     * change and returns their new flags; one MODSEQ for all, taken only when something changed.
     */
    private StoreResult storeSystemFlags(long mailboxId, long[] uids, FlagOperation operation, ImapFlags given,
                                         long unchangedSince) throws MailAccessException {
        if (uids == null || uids.length == 0) {
            return new StoreResult(List.of(), new long[0]);
        }
        long highest = lockOwnMailbox(mailboxId);
        UidRanges ranges = UidRanges.of(uids);
        long[] modified = unchangedSince >= 0 ? sql.modifiedSince(mailboxId, ranges, unchangedSince) : new long[0];
        List<String> columns = new ArrayList<>();
        for (int bit = 0; bit < MailboxSql.FLAG_COLUMNS.size(); bit++) {
            if (given.has(1 << bit)) {
                columns.add(MailboxSql.FLAG_COLUMNS.get(bit));
            }
        }
        long modSeq = highest + 1;
        List<MailboxSql.FlagRow> rows = sql.updateFlags(mailboxId, ranges, columns, operation == FlagOperation.ADD,
                operation == FlagOperation.REPLACE, unchangedSince, modSeq);
        if (rows.isEmpty()) {
            return new StoreResult(List.of(), modified);
        }
        sql.setHighestModSeq(mailboxId, modSeq);
        notifier.mailboxChanged(mailboxId, modSeq);
        List<MessageFlags> changed = new ArrayList<>(rows.size());
        for (MailboxSql.FlagRow r : rows) {
            changed.add(new MessageFlags(r.uid(), modSeq, ImapFlags.of(r.seen(), r.answered(), r.flagged(),
                    r.deleted(), r.draft(), r.keywords()).toImap()));
        }
        return new StoreResult(changed, modified);
    }

    /**
     * STORE with keywords on the owner's mailbox (every right): the mailbox row locked, each batch's rows read
     * through JDBC, the new flags computed here (keywords live in one column, which SQL cannot merge
     * case-insensitively on every database), and only the rows that change written back in one JDBC batch,
     * with one MODSEQ for all. No entity is loaded: the JPA path cost three times as much per STORE.
     */
    private StoreResult storeOwnKeywords(long mailboxId, long[] uids, FlagOperation operation, ImapFlags given,
                                         long unchangedSince) throws MailAccessException {
        if (uids == null || uids.length == 0) {
            return new StoreResult(List.of(), new long[0]);
        }
        long modSeq = lockOwnMailbox(mailboxId) + 1;
        List<MessageFlags> changed = new ArrayList<>();
        List<Long> modified = new ArrayList<>();
        List<MailboxSql.FlagRow> writes = new ArrayList<>();
        for (UidRanges batch : UidRanges.of(uids).batches(UidRanges.RANGES_PER_QUERY)) {
            writes.clear();
            sql.rows(mailboxId, batch, false, row -> {
                if (unchangedSince >= 0 && row.modSeq() > unchangedSince) {
                    modified.add(row.uid());
                    return;
                }
                ImapFlags current = ImapFlags.of(row);
                ImapFlags next = current.apply(operation, given);
                if (!next.sameAs(current)) {
                    writes.add(new MailboxSql.FlagRow(row.uid(), next.seen(), next.answered(), next.flagged(),
                            next.deleted(), next.draft(), next.keywordColumn()));
                    changed.add(new MessageFlags(row.uid(), modSeq, next.toImap()));
                }
            });
            sql.writeFlags(mailboxId, writes, modSeq);
        }
        if (!changed.isEmpty()) { // the MODSEQ is taken only when something changed
            sql.setHighestModSeq(mailboxId, modSeq);
            notifier.mailboxChanged(mailboxId, modSeq);
        }
        return new StoreResult(changed, modified.stream().mapToLong(Long::longValue).toArray());
    }

    public long[] expunge(SessionInfo session, long mailboxId, long[] uids) throws MailAccessException {
        String address = address(session);
        Optional<OwnedMailbox> own = address == null ? Optional.empty() : sql.ownedById(address, mailboxId);
        if (own.isPresent()) {
            return expungeOwn(own.get(), uids);
        }
        MailboxResolver.Resolved resolved = selected(account(session), mailboxId);
        MailboxResolver.require(resolved, 'e');
        MailboxEntity mailbox = resolved.mailbox();
        AccountEntity account = resolved.owner(); // the owner's lock and usage
        UidRanges ranges = uids == null ? null : UidRanges.of(uids);
        if (ranges != null && ranges.isEmpty()) {
            return new long[0];
        }
        // blob rows come first in the lock order, so find out which ones before locking the mailbox
        Map<String, BlobEntity> locked = mailboxes.lockBlobs(deletedBlobIds(mailbox, ranges));
        directory.lockAccount(account.getId());
        lockOrVanished(mailbox);
        List<MessageEntity> doomed = new ArrayList<>();
        for (MessageEntity m : deletedMessages(mailbox, ranges)) {
            // flagged \Deleted after we looked: its blob is not locked, so it waits for the next expunge
            if (locked.containsKey(m.getBlob().getId())) {
                doomed.add(m);
            }
        }
        if (doomed.isEmpty()) {
            return new long[0];
        }
        long modSeq = mailbox.nextModSeq();
        long[] expunged = removeMessages(mailbox, doomed, modSeq);
        long bytes = doomed.stream().mapToLong(MessageEntity::getSizeBytes).sum();
        doomed.forEach(m -> locked.get(m.getBlob().getId()).releaseReferences(1));
        account.addUsedBytes(-bytes);
        mailboxes.flush();
        notifier.mailboxChanged(mailbox.getId(), modSeq);
        return expunged;
    }

    /**
     * EXPUNGE on the owner's mailbox, set-based: the blobs of the \Deleted messages, the account and the
     * mailbox locked in delivery's order, then one DELETE per batch returning what it removed, the expunge log
     * written in one batch and the counters, blob references and usage updated by one statement each.
     */
    private long[] expungeOwn(OwnedMailbox mailbox, long[] uids) throws MailAccessException {
        UidRanges ranges = uids == null ? null : UidRanges.of(uids);
        if (ranges != null && ranges.isEmpty()) {
            return new long[0];
        }
        java.util.SortedSet<String> blobIds = sql.deletedBlobIds(mailbox.id(), ranges);
        if (blobIds.isEmpty()) {
            return new long[0];
        }
        java.util.SortedSet<String> locked = sql.lockBlobsThenAccount(blobIds, mailbox.accountId());
        long modSeq = lockOwnMailbox(mailbox.id()) + 1;
        List<MailboxSql.RemovedRow> removed = sql.expunge(mailbox.id(), mailbox.accountId(), ranges, locked, modSeq);
        if (removed.isEmpty()) {
            return new long[0];
        }
        MessageIndex.purge(mailboxes.entityManager(), removed.stream().map(MailboxSql.RemovedRow::id).toList());
        notifier.mailboxChanged(mailbox.id(), modSeq);
        return removed.stream().mapToLong(MailboxSql.RemovedRow::uid).toArray();
    }

    private Set<String> deletedBlobIds(MailboxEntity mailbox, UidRanges ranges) {
        if (ranges == null) {
            return mailboxes.deletedBlobIds(mailbox, null);
        }
        Set<String> ids = new TreeSet<>();
        for (UidRanges batch : ranges.batches(UidRanges.RANGES_PER_QUERY)) {
            ids.addAll(mailboxes.deletedBlobIds(mailbox, batch));
        }
        return ids;
    }

    private List<MessageEntity> deletedMessages(MailboxEntity mailbox, UidRanges ranges) {
        if (ranges == null) {
            return mailboxes.deletedMessages(mailbox, null);
        }
        List<MessageEntity> out = new ArrayList<>();
        for (UidRanges batch : ranges.batches(UidRanges.RANGES_PER_QUERY)) {
            out.addAll(mailboxes.deletedMessages(mailbox, batch));
        }
        return out;
    }

    /**
     * Deletes the rows, logs their UIDs as expunged at {@code modSeq} and counts them out of the mailbox.
     * Blob references and the account's usage are the caller's business (MOVE keeps both).
     */
    private long[] removeMessages(MailboxEntity mailbox, List<MessageEntity> messages, long modSeq) {
        long[] uids = new long[messages.size()];
        long bytes = 0;
        for (int i = 0; i < messages.size(); i++) {
            MessageEntity m = messages.get(i);
            uids[i] = m.getUid();
            bytes += m.getSizeBytes();
            mailboxes.persist(new ExpungedMessageEntity(mailbox.getId(), m.getUid(), modSeq));
            mailboxes.remove(m);
        }
        mailbox.release(messages.size(), bytes);
        java.util.Arrays.sort(uids);
        return uids;
    }

    public CopyResult copy(SessionInfo session, long mailboxId, long[] uids, String targetName, boolean move)
            throws MailAccessException {
        AccountEntity user = account(session);
        MailboxResolver.Resolved from = selected(user, mailboxId);
        MailboxResolver.Resolved into = resolver(user).byName(targetName);
        MailboxResolver.require(into, 'i');
        if (move) { // RFC 6851: MOVE needs what STORE +FLAGS \Deleted and EXPUNGE need on the source
            MailboxResolver.require(from, 't');
            MailboxResolver.require(from, 'e');
        }
        MailboxEntity source = from.mailbox();
        MailboxEntity target = into.mailbox();
        AccountEntity account = into.owner(); // copies are stored in, and count for, the target's owner
        AccountEntity sourceOwner = from.owner();
        boolean sameOwner = Objects.equals(account.getId(), sourceOwner.getId());
        UidRanges ranges = UidRanges.of(uids == null ? new long[0] : uids);
        Set<String> blobIds = new TreeSet<>();
        for (UidRanges batch : ranges.batches(UidRanges.RANGES_PER_QUERY)) {
            mailboxes.messageRows(source, batch, false).forEach(r -> blobIds.add(r.blobId()));
        }
        if (blobIds.isEmpty()) {
            return new CopyResult(target.getId(), target.getUidValidity(), new long[0], new long[0]);
        }
        Map<String, BlobEntity> locked = mailboxes.lockBlobs(blobIds);
        if (move && !sameOwner) { // both usages change: account rows in ascending id order
            directory.lockAccount(Math.min(account.getId(), sourceOwner.getId()));
            directory.lockAccount(Math.max(account.getId(), sourceOwner.getId()));
        } else {
            directory.lockAccount(account.getId());
        }
        List<MailboxEntity> toLock = new ArrayList<>(List.of(target));
        if (move && source != target) {
            toLock.add(source);
        }
        toLock.sort((a, b) -> Long.compare(a.getId(), b.getId()));
        for (MailboxEntity m : toLock) {
            lockOrVanished(m);
        }
        List<MessageEntity> originals = new ArrayList<>();
        for (UidRanges batch : ranges.batches(UidRanges.RANGES_PER_QUERY)) {
            originals.addAll(mailboxes.messages(source, batch));
        }
        Set<String> late = new TreeSet<>();
        originals.forEach(m -> {
            if (!locked.containsKey(m.getBlob().getId())) {
                late.add(m.getBlob().getId()); // delivered after we looked (a forged UID range): rare
            }
        });
        locked.putAll(mailboxes.lockBlobs(late));
        long total = originals.stream().mapToLong(MessageEntity::getSizeBytes).sum();
        if ((!move || !sameOwner) && !originals.isEmpty()) {
            checkQuota(account, total);
        }
        Instant now = Instant.now();
        long[] sourceUids = new long[originals.size()];
        long[] targetUids = new long[originals.size()];
        for (int i = 0; i < originals.size(); i++) {
            MessageEntity m = originals.get(i);
            long uid = target.admit(m.getSizeBytes());
            MessageEntity copy = m.copyTo(target, uid, target.getHighestModSeq(), now);
            if (!into.rights().equals(MailboxRights.ALL)) {
                // flags the user may not set in the target are not copied (RFC 4314 section 4)
                FlagRights.limit(ImapFlags.NONE, ImapFlags.of(m), into.rights()).writeTo(copy,
                        target.getHighestModSeq());
            }
            mailboxes.persist(copy);
            sourceUids[i] = m.getUid();
            targetUids[i] = uid;
            if (!move) {
                locked.get(m.getBlob().getId()).addReference();
            }
        }
        if (move && !originals.isEmpty()) {
            long modSeq = source.nextModSeq();
            removeMessages(source, originals, modSeq);
            mailboxes.flush();
            notifier.mailboxChanged(source.getId(), modSeq);
            if (!sameOwner) { // the messages now count for the target's owner
                account.addUsedBytes(total);
                sourceOwner.addUsedBytes(-total);
            }
        } else {
            account.addUsedBytes(total);
        }
        mailboxes.flush();
        if (!originals.isEmpty()) {
            notifier.mailboxChanged(target.getId(), target.getHighestModSeq());
        }
        return new CopyResult(target.getId(), target.getUidValidity(), sourceUids, targetUids);
    }

    /**
     * APPEND: the message is written to the blob store and parsed exactly as sent (no trace fields), then
     * stored through {@link MailboxAppender} like a delivery.
     */
    public AppendResult append(SessionInfo session, String name, Path spool, long size, Set<String> flags,
                               Instant internalDate) throws MailAccessException {
        ImapFlags given = ImapFlags.parse(flags);
        String address = address(session);
        Optional<MailboxSql.AppendTarget> own = ownAppendTarget(address, name);
        LocalTarget target;
        String ownerName;
        ImapFlags parsedFlags;
        long quotaBytes;
        long usedBytes;
        if (own.isPresent()) { // the owner's mailbox, found in one statement: every right, quota from its row
            MailboxSql.AppendTarget t = own.get();
            target = new LocalTarget(t.accountId(), address);
            ownerName = t.name();
            parsedFlags = given;
            quotaBytes = t.quotaBytes();
            usedBytes = t.usedBytes();
        } else {
            AccountEntity user = account(session);
            MailboxResolver.Resolved into = resolver(user).byName(MailboxNames.canonical(name));
            MailboxResolver.require(into, 'i');
            AccountEntity account = into.owner(); // stored in, and counted for, the owner's account
            target = new LocalTarget(account.getId(), account.getAddress());
            ownerName = into.mailbox().getName();
            // flags the user may not set are dropped, not refused (RFC 4314 section 4)
            parsedFlags = FlagRights.limit(ImapFlags.NONE, given, into.rights());
            quotaBytes = account.getQuotaBytes();
            usedBytes = account.getUsedBytes();
        }
        if (size <= 0) {
            throw new MailAccessException(Kind.INVALID, "Empty message");
        }
        try { // early answer before writing; checked again under the lock
            QuotaPolicy.check(target.address(), quotaBytes, usedBytes, size);
        } catch (MailException e) {
            throw translate(e);
        }
        StoredMessage message;
        try {
            message = new MessageIngest(blobs).store(new byte[0], spool);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store appended message", e);
        }
        Instant now = Instant.now();
        MailboxAppender appender = new MailboxAppender(directory, mailboxes);
        AppendedMessage appended;
        try {
            // delivery's statements: each row lock taken by the statement that changes the row, no entity read
            BlobEntity blob = appender.referenceBlobForDelivery(message, 1, now);
            appended = appender.admit(target, ownerName, blob,
                    message, null, parsedFlags, internalDate == null ? now : internalDate, now);
        } catch (MailException e) {
            throw translate(e);
        } finally {
            message.blob().discardCopy(); // the blob row is locked until the commit (or this failed)
        }
        mailboxes.flush();
        notifier.mailboxChanged(appended.mailboxId(), appended.modSeq());
        return new AppendResult(appended.mailboxId(), appended.uidValidity(), appended.uid(), appended.modSeq());
    }

    /**
     * MULTIAPPEND (RFC 3502): {@link #append} for each message in order, inside the caller's one transaction,
     * so the UIDs come out consecutive (the mailbox lock is held to the end) and a refusal of any message
     * leaves nothing once the caller rolls back. The quota is checked over the whole set first, so a set that
     * cannot fit is refused before any blob is written.
     */
    public List<AppendResult> appendAll(SessionInfo session, String name, List<AppendRequest> messages)
            throws MailAccessException {
        if (messages.isEmpty()) {
            throw new MailAccessException(Kind.INVALID, "No message to append");
        }
        long total = 0;
        for (AppendRequest m : messages) {
            if (m.size() <= 0) {
                throw new MailAccessException(Kind.INVALID, "Empty message");
            }
            total += m.size();
        }
        AccountEntity user = account(session);
        MailboxResolver.Resolved into = resolver(user).byName(MailboxNames.canonical(name));
        MailboxResolver.require(into, 'i');
        checkQuota(into.owner(), total);
        List<AppendResult> results = new ArrayList<>(messages.size());
        for (AppendRequest m : messages) {
            results.add(append(session, name, m.spool(), m.size(), m.flags(), m.internalDate()));
        }
        return results;
    }

    public long[] search(SessionInfo session, long mailboxId, SearchKey key) throws MailAccessException {
        String address = address(session);
        if (address == null || sql.ownedById(address, mailboxId).isEmpty()) {
            mailbox(account(session), mailboxId); // not the user's own: the full check of rights
        }
        if (key == null) {
            throw new MailAccessException(Kind.INVALID, "No search key");
        }
        MessageIndex index = new MessageIndex(mailboxes.entityManager());
        return new MessageSearch(sql, blobs, Instant.now(), index::narrow).search(mailboxId, key);
    }

    public MailboxChanges changesSince(SessionInfo session, long mailboxId, long modSeq) throws MailAccessException {
        // the counters first: every change up to them has committed; newer ones may show up too (harmless)
        OwnedMailbox mailbox = readable(session, mailboxId);
        if (modSeq >= mailbox.highestModSeq()) {
            return new MailboxChanges(mailbox.highestModSeq(), mailbox.uidNext(), List.of(), new long[0]);
        }
        List<MessageFlags> changed = sql.changedSince(mailbox.id(), modSeq).stream()
                .map(r -> new MessageFlags(r.uid(), r.modSeq(), ImapFlags.of(r).toImap())).toList();
        long[] expunged = sql.expungedSince(mailbox.id(), modSeq);
        return new MailboxChanges(mailbox.highestModSeq(), mailbox.uidNext(), changed, expunged);
    }

    public QuotaUsage quota(SessionInfo session) throws MailAccessException {
        AccountEntity account = account(session);
        return new QuotaUsage(account.getUsedBytes(), account.getQuotaBytes(), mailboxes.countMessages(account));
    }

    /**
     * GETQUOTA of a named root: {@code ""} the user's own, {@code Shared} the public folders of the user's domain
     * (their pseudo-account's usage and limit; a domain without public folders has an empty, unlimited root).
     */
    public QuotaUsage quota(SessionInfo session, String root) throws MailAccessException {
        if (root == null || root.isEmpty()) {
            return quota(session);
        }
        AccountEntity account = account(session);
        if (!root.equals(org.merpati.connector.api.access.Namespaces.SHARED_ROOT)) {
            throw new MailAccessException(Kind.NONEXISTENT, "No such quota root");
        }
        return directory.findSharedAccount(account.getDomain()).map(this::sharedUsage)
                .orElse(new QuotaUsage(0, 0, 0, org.merpati.connector.api.access.Namespaces.SHARED_ROOT));
    }

    /**
     * GETQUOTAROOT: the root a mailbox counts against (messages count where they are stored): the user's own,
     * the domain's shared root for a public folder, none the user may ask about for another user's mailbox.
     * A mailbox the user may not see is NONEXISTENT exactly as for STATUS.
     */
    public QuotaUsage quotaOf(SessionInfo session, String name) throws MailAccessException {
        AccountEntity account = account(session);
        MailboxResolver.Resolved r = resolver(account).byName(name);
        if (!r.rights().hasAny("lr")) {
            throw MailboxResolver.denied(r);
        }
        AccountEntity owner = r.owner();
        if (r.ownedBy(account)) {
            return new QuotaUsage(account.getUsedBytes(), account.getQuotaBytes(), mailboxes.countMessages(account));
        }
        if (owner.isShared()) {
            return sharedUsage(owner);
        }
        return new QuotaUsage(0, 0, 0, null);
    }

    private QuotaUsage sharedUsage(AccountEntity owner) {
        return new QuotaUsage(owner.getUsedBytes(), owner.getQuotaBytes(), mailboxes.countMessages(owner),
                org.merpati.connector.api.access.Namespaces.SHARED_ROOT);
    }

    // ---- access control lists (RFC 4314), see MailboxAclCommands ----

    public List<AclEntry> getAcl(SessionInfo session, String name) throws MailAccessException {
        return acl(session).getAcl(name);
    }

    public void setAcl(SessionInfo session, String name, String identifier, FlagOperation operation, String rights)
            throws MailAccessException {
        acl(session).setAcl(name, identifier, operation, rights);
    }

    public void deleteAcl(SessionInfo session, String name, String identifier) throws MailAccessException {
        acl(session).deleteAcl(name, identifier);
    }

    public RightsList listRights(SessionInfo session, String name, String identifier) throws MailAccessException {
        return acl(session).listRights(name, identifier);
    }

    public String myRights(SessionInfo session, String name) throws MailAccessException {
        return acl(session).myRights(name);
    }

    private MailboxAclCommands acl(SessionInfo session) throws MailAccessException {
        return new MailboxAclCommands(account(session), directory, mailboxes);
    }

    // ---- helpers ----

    private MailboxResolver resolver(AccountEntity account) {
        return new MailboxResolver(account, directory, mailboxes);
    }

    /** The acting account: the session's authenticated user, which must still exist and be enabled. */
    private AccountEntity account(SessionInfo session) throws MailAccessException {
        String user = session == null ? null : session.authenticatedUser();
        if (user == null) {
            throw new MailAccessException(Kind.NO_PERMISSION, "Not authenticated");
        }
        AccountEntity account = directory.findAccount(user.trim().toLowerCase(Locale.ROOT)).orElse(null);
        if (account == null || !account.isEnabled()) {
            throw new MailAccessException(Kind.NO_PERMISSION, "Account not available");
        }
        return account;
    }

    /** The canonical, lower-case address of the session's user, or null (the full check then refuses). */
    private static String address(SessionInfo session) {
        String user = session == null ? null : session.authenticatedUser();
        return user == null ? null : user.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * The user's own mailbox by a personal name, checked in one statement (owner and enabled account); empty
     * for anything else (a shared or missing mailbox, a bad name, no user), which the full resolution
     * answers with its exact result or error.
     */
    private Optional<OwnedMailbox> ownMailbox(SessionInfo session, String name) {
        String address = address(session);
        String personal = personalName(name);
        return address == null || personal == null ? Optional.empty() : sql.ownedByName(address, personal);
    }

    /** {@link #ownMailbox} for APPEND, with the account's quota and usage; empty for anything but the owner's. */
    private Optional<MailboxSql.AppendTarget> ownAppendTarget(String address, String name) {
        String personal = personalName(name);
        return address == null || personal == null ? Optional.empty() : sql.appendTarget(address, personal);
    }

    /** The canonical form of a name in the personal namespace, or null (a bad name, another namespace). */
    private static String personalName(String name) {
        if (name == null) {
            return null;
        }
        try {
            String canonical = MailboxNames.canonical(name);
            return MailboxResolver.isNotPersonal(canonical) ? null : canonical;
        } catch (MailAccessException e) {
            return null;
        }
    }

    /**
     * A mailbox by a client-supplied id for reading, with its counters: the owner's in one statement, any
     * other through {@link #selected} ("r" needed, exact errors).
     */
    private OwnedMailbox readable(SessionInfo session, long id) throws MailAccessException {
        String address = address(session);
        Optional<OwnedMailbox> own = address == null ? Optional.empty() : sql.ownedById(address, id);
        if (own.isPresent()) {
            return own.get();
        }
        MailboxEntity m = mailbox(account(session), id);
        return new OwnedMailbox(m.getId(), m.getName(), m.getUidValidity(), m.getUidNext(), m.getHighestModSeq(),
                m.getMessageCount(), m.getSizeBytes(), m.getAccount().getId());
    }

    private MailboxEntity mailbox(AccountEntity account, long id) throws MailAccessException {
        return selected(account, id).mailbox();
    }

    /**
     * A mailbox by a client-supplied (possibly forged) id, as the selected state uses it: needs "r" (SELECT
     * did), else NONEXISTENT or NO_PERMISSION as {@link MailboxResolver#require} decides.
     */
    private MailboxResolver.Resolved selected(AccountEntity account, long id) throws MailAccessException {
        MailboxResolver.Resolved r = resolver(account).byId(id);
        MailboxResolver.require(r, 'r');
        return r;
    }

    /** Locks the mailbox row; a mailbox deleted meanwhile is NONEXISTENT. */
    private void lockOrVanished(MailboxEntity mailbox) throws MailAccessException {
        try {
            mailboxes.lock(mailbox);
        } catch (EntityNotFoundException e) {
            throw new MailAccessException(Kind.NONEXISTENT, "Mailbox was deleted");
        }
    }

    private static void checkQuota(AccountEntity account, long bytes) throws MailAccessException {
        try {
            QuotaPolicy.check(account, bytes);
        } catch (MailException e) {
            throw translate(e);
        }
    }

    private void createParents(AccountEntity account, String canonical) throws MailAccessException {
        for (String parent : MailboxNames.parents(canonical)) {
            if (mailboxes.findMailbox(account, parent).isEmpty()) {
                newMailbox(account, parent, null);
            }
        }
    }

    private MailboxEntity newMailbox(AccountEntity account, String name, String specialUse)
            throws MailAccessException {
        if (mailboxes.listMailboxes(account).size() >= MAX_MAILBOXES) {
            throw new MailAccessException(Kind.LIMIT, "Too many mailboxes");
        }
        MailboxEntity mailbox = new MailboxEntity(account, name, specialUse, UidValidityClock.next());
        mailbox.setSubscribed(false); // RFC 9051: CREATE does not subscribe
        List<String> parents = MailboxNames.parents(name);
        if (!parents.isEmpty()) {
            // RFC 4314 section 4: a new mailbox inherits its parent's ACL (a folder inside a shared one is shared)
            mailboxes.findMailbox(account, parents.get(parents.size() - 1))
                    .ifPresent(parent -> mailbox.getAcl().putAll(parent.getAcl()));
        }
        mailboxes.persist(mailbox);
        mailboxes.flush();
        return mailbox;
    }

    private static MailboxInfo info(MailboxEntity m) {
        return new MailboxInfo(m.getId(), m.getName(), m.getSpecialUse(), m.isSubscribed());
    }

    /** Counters under the name the user sees (shared mailboxes live in the "Other Users" namespace). */
    private MailboxStatus status(MailboxEntity m, String name) {
        return new MailboxStatus(m.getId(), name, m.getUidValidity(), m.getUidNext(), m.getHighestModSeq(),
                m.getMessageCount(), mailboxes.countUnseen(m), mailboxes.countDeleted(m), m.getSizeBytes());
    }

    /** The domain's errors as the access contract's. */
    static MailAccessException translate(MailException e) {
        Kind kind = switch (e.error()) {
            case NOT_FOUND -> Kind.NONEXISTENT;
            case EXISTS -> Kind.ALREADY_EXISTS;
            case INVALID -> Kind.INVALID;
            case PERMISSION -> Kind.NO_PERMISSION;
            case NO_QUOTA -> Kind.OVER_QUOTA;
            case LIMIT -> Kind.LIMIT;
            case NOT_POSSIBLE -> Kind.CANNOT;
            case TEMPORARY -> Kind.UNAVAILABLE;
        };
        return new MailAccessException(kind, e.getMessage());
    }
}
