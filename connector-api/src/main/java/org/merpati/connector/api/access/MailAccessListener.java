package org.merpati.connector.api.access;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.merpati.connector.api.SessionInfo;

/**
 * What the IMAP and POP3 listeners ask of the server. Calls run on a WorkManager thread, never on an event
 * loop, and may block. Every call except {@link #authenticate} acts for {@code session.authenticatedUser()}
 * and fails with {@link MailAccessException.Kind#NO_PERMISSION} when it is null. Mailbox names are Unicode
 * with {@code /} as hierarchy delimiter; {@code INBOX} is case-insensitive.
 */
public interface MailAccessListener {

    /** The hierarchy delimiter of mailbox names. */
    char HIERARCHY_DELIMITER = '/';

    /**
     * Checks a password (or app password) against the directory.
     *
     * @param authzid  the identity to act as (SASL authorization id), or null/empty for the authcid itself
     * @param authcid  the user name the client gave (an address)
     * @return the canonical account address to put into {@code SessionInfo.authenticatedUser}, or null when the
     *         credentials are wrong or the account is disabled (the caller throttles and counts failures)
     * @throws MailAccessException UNAVAILABLE when the directory cannot answer now
     */
    String authenticate(SessionInfo session, String authzid, String authcid, String password) throws MailAccessException;

    /** Every mailbox of the user, any order; the connector matches LIST patterns. */
    List<MailboxInfo> listMailboxes(SessionInfo session) throws MailAccessException;

    /** Counters of one mailbox by name (STATUS). */
    MailboxStatus status(SessionInfo session, String mailbox) throws MailAccessException;

    /** Opens a mailbox (SELECT, EXAMINE, POP3 maildrop): counters, all UIDs, keywords in use. */
    MailboxSnapshot select(SessionInfo session, String mailbox, boolean readOnly) throws MailAccessException;

    /**
     * Creates a mailbox (and missing parents). {@code specialUse} is an RFC 6154 attribute or null
     * (CREATE-SPECIAL-USE).
     */
    MailboxInfo createMailbox(SessionInfo session, String mailbox, String specialUse) throws MailAccessException;

    /** Deletes a mailbox and its messages. INBOX cannot be deleted (CANNOT). */
    void deleteMailbox(SessionInfo session, String mailbox) throws MailAccessException;

    /**
     * Renames a mailbox and its children. Renaming INBOX moves its messages into a new mailbox and leaves
     * INBOX empty (RFC 9051 section 6.3.6).
     */
    void renameMailbox(SessionInfo session, String from, String to) throws MailAccessException;

    /** SUBSCRIBE / UNSUBSCRIBE. */
    void setSubscribed(SessionInfo session, String mailbox, boolean subscribed) throws MailAccessException;

    /**
     * Metadata of the given messages, ascending by UID; UIDs that no longer exist are left out.
     *
     * @param withStructure whether to fill envelope and MIME structure (costs a parse of the cached JSON)
     */
    List<MessageData> fetch(SessionInfo session, long mailboxId, long[] uids, boolean withStructure)
        throws MailAccessException;

    /**
     * Changes flags; each changed message gets a new MODSEQ.
     *
     * @param unchangedSince RFC 7162 UNCHANGEDSINCE, or -1 when not given
     */
    StoreResult store(SessionInfo session, long mailboxId, long[] uids, FlagOperation operation, Set<String> flags,
                      long unchangedSince) throws MailAccessException;

    /**
     * Removes messages that have {@code \Deleted}: all of them when {@code uids} is null (EXPUNGE, CLOSE), or
     * only those among {@code uids} (UID EXPUNGE, POP3 QUIT). Expunged UIDs go to the expunge log (VANISHED).
     *
     * @return the expunged UIDs, ascending
     */
    long[] expunge(SessionInfo session, long mailboxId, long[] uids) throws MailAccessException;

    /** COPY, or MOVE when {@code move} (copy, then expunge the sources in the same transaction). */
    CopyResult copy(SessionInfo session, long mailboxId, long[] uids, String targetMailbox, boolean move)
        throws MailAccessException;

    /**
     * Stores a message the client uploaded (APPEND). The spool file holds it exactly as sent and is deleted
     * by the caller afterwards.
     *
     * @param internalDate the date the client gave, or null for now
     */
    AppendResult append(SessionInfo session, String mailbox, java.nio.file.Path spool, long size, Set<String> flags,
                        Instant internalDate) throws MailAccessException;

    /**
     * Stores several uploaded messages into one mailbox (MULTIAPPEND, RFC 3502) in one transaction: either all
     * are stored, in the order given with ascending consecutive UIDs, or none is (the exception says why, e.g.
     * OVER_QUOTA when the set does not fit). Spool files are deleted by the caller afterwards.
     *
     * @return one result per request, in the same order
     */
    List<AppendResult> appendAll(SessionInfo session, String mailbox, List<AppendRequest> messages)
        throws MailAccessException;

    /** UIDs of the messages matching the key, ascending. */
    long[] search(SessionInfo session, long mailboxId, SearchKey key) throws MailAccessException;

    /** New messages, flag changes and expunges after {@code modseq} (NOOP, IDLE, QRESYNC). */
    MailboxChanges changesSince(SessionInfo session, long mailboxId, long modseq) throws MailAccessException;

    /** The account's quota (GETQUOTA, GETQUOTAROOT). */
    QuotaUsage quota(SessionInfo session) throws MailAccessException;

    /**
     * GETQUOTA of a named root: {@code ""} is the account's own, {@link Namespaces#SHARED_ROOT} the public folders
     * of the user's domain; any other name is NONEXISTENT. The default knows only the account's own root.
     */
    default QuotaUsage quota(SessionInfo session, String root) throws MailAccessException {
        if (root == null || root.isEmpty()) {
            return quota(session);
        }
        throw new MailAccessException(MailAccessException.Kind.NONEXISTENT, "No such quota root");
    }

    /**
     * GETQUOTAROOT: the quota root a mailbox counts against (the account's own for personal mailboxes,
     * {@link Namespaces#SHARED_ROOT} for public folders, none the user may ask about for another user's), with its
     * usage. NONEXISTENT exactly as {@link #status} for a mailbox that is missing or invisible. The default
     * answers the account's own root for every mailbox.
     */
    default QuotaUsage quotaOf(SessionInfo session, String mailbox) throws MailAccessException {
        status(session, mailbox);
        return quota(session);
    }

    // ---- access control lists (RFC 4314) ----
    //
    // Names may be in any namespace of {@link Namespaces}. The owner of a mailbox always has every right. A
    // mailbox on which the user has neither "l" nor "r" is NONEXISTENT, exactly like one that does not exist;
    // a missing right on a mailbox the user can see is NO_PERMISSION.

    /**
     * GETACL ("a" right): the owner first (with every right), then the stored entries. Public folders
     * ({@link Namespaces#SHARED}) have no owner a user could name: only the stored entries.
     */
    List<AclEntry> getAcl(SessionInfo session, String mailbox) throws MailAccessException;

    /**
     * SETACL ("a" right). The owner's rights cannot be changed (CANNOT); an identifier that is neither
     * {@code anyone} nor an account or group of the owner's domain is INVALID.
     *
     * @param identifier an address, a group address or {@code anyone}, with a leading {@code -} for negative rights
     * @param operation  REPLACE (no prefix), ADD ({@code +}) or REMOVE ({@code -}), as for STORE
     * @param rights     rights letters as {@link MailboxRights#parse} reads them (INVALID otherwise); an entry
     *                   left without rights is removed
     */
    void setAcl(SessionInfo session, String mailbox, String identifier, FlagOperation operation, String rights)
        throws MailAccessException;

    /** DELETEACL ("a" right): removes the identifier's entry, if any. */
    void deleteAcl(SessionInfo session, String mailbox, String identifier) throws MailAccessException;

    /** LISTRIGHTS ("a" right): what the identifier always has and what can be granted to it. */
    RightsList listRights(SessionInfo session, String mailbox, String identifier) throws MailAccessException;

    /**
     * MYRIGHTS: the acting user's rights as {@link MailboxRights#toString()} writes them. Needs any of "l",
     * "r", "i", "k", "x", "a". The connector also asks after SELECT, for PERMANENTFLAGS and implicit \Seen.
     */
    String myRights(SessionInfo session, String mailbox) throws MailAccessException;
}
