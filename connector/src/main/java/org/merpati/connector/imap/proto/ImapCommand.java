package org.merpati.connector.imap.proto;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.merpati.connector.api.access.FlagOperation;
import org.merpati.connector.api.access.SearchKey;

/** The command model: what {@link ImapCommandParser} makes of a {@link RawCommand}. */
public sealed interface ImapCommand {

    String tag();

    /** The command name for rules and messages (e.g. {@code UID FETCH}). */
    default String name() {
        return ImapCommandRules.nameOf(this);
    }

    /** Commands without arguments. */
    enum Verb { CAPABILITY, NOOP, LOGOUT, STARTTLS, CHECK, CLOSE, UNSELECT, EXPUNGE, IDLE, NAMESPACE }

    record Simple(String tag, Verb verb) implements ImapCommand {
    }

    record Login(String tag, String user, String password) implements ImapCommand {
    }

    /** @param initialResponse SASL-IR (RFC 4959): null when absent, "" for {@code =} */
    record Authenticate(String tag, String mechanism, String initialResponse) implements ImapCommand {
    }

    record Enable(String tag, List<String> capabilities) implements ImapCommand {
    }

    /** QRESYNC select parameter (RFC 7162 section 3.2.5). */
    record Qresync(long uidValidity, long modseq, SequenceSet knownUids, SequenceSet seqMatch, SequenceSet uidMatch) {
    }

    record Select(String tag, String mailbox, boolean readOnly, boolean condstore, Qresync qresync) implements ImapCommand {
    }

    /**
     * LIST (with RFC 5258 LIST-EXTENDED) or LSUB.
     *
     * @param selection     selection options (SUBSCRIBED, RECURSIVEMATCH, SPECIAL-USE), upper case
     * @param returns       return options (SUBSCRIBED, CHILDREN, SPECIAL-USE), upper case
     * @param statusItems   RETURN (STATUS (...)) items, or empty
     */
    record ListMailboxes(String tag, boolean lsub, List<String> selection, String reference, List<String> patterns,
                         Set<String> returns, List<String> statusItems) implements ImapCommand {
    }

    record Status(String tag, String mailbox, List<String> items) implements ImapCommand {
    }

    record Create(String tag, String mailbox, String specialUse) implements ImapCommand {
    }

    record Delete(String tag, String mailbox) implements ImapCommand {
    }

    record Rename(String tag, String from, String to) implements ImapCommand {
    }

    record Subscribe(String tag, String mailbox, boolean subscribe) implements ImapCommand {
    }

    record Id(String tag, Map<String, String> parameters) implements ImapCommand {
    }

    /** @param changedSince CHANGEDSINCE, or -1 */
    record Fetch(String tag, boolean uid, SequenceSet set, List<FetchAttribute> attributes, long changedSince,
                 boolean vanished) implements ImapCommand {
    }

    /** @param unchangedSince UNCHANGEDSINCE, or -1 */
    record Store(String tag, boolean uid, SequenceSet set, FlagOperation operation, boolean silent, Set<String> flags,
                 long unchangedSince) implements ImapCommand {
    }

    /**
     * SEARCH, SORT or THREAD criteria.
     *
     * @param returnOptions ESEARCH RETURN options (MIN MAX COUNT ALL SAVE), or null for a plain SEARCH
     */
    record Search(String tag, boolean uid, SearchKey key, Set<String> returnOptions) implements ImapCommand {
    }

    /** A SORT criterion (RFC 5256). */
    record SortCriterion(String key, boolean reverse) {
    }

    record Sort(String tag, boolean uid, List<SortCriterion> criteria, SearchKey key, Set<String> returnOptions)
        implements ImapCommand {
    }

    record Thread(String tag, boolean uid, String algorithm, SearchKey key) implements ImapCommand {
    }

    record Copy(String tag, boolean uid, SequenceSet set, String mailbox, boolean move) implements ImapCommand {
    }

    record UidExpunge(String tag, SequenceSet set) implements ImapCommand {
    }

    /** One message of an APPEND (several with MULTIAPPEND). */
    record AppendMessage(Set<String> flags, Instant internalDate, Literal content) {
    }

    record Append(String tag, String mailbox, List<AppendMessage> messages) implements ImapCommand {
    }

    record GetQuota(String tag, String root) implements ImapCommand {
    }

    record GetQuotaRoot(String tag, String mailbox) implements ImapCommand {
    }

    record Compress(String tag, String mechanism) implements ImapCommand {
    }

    /**
     * SETACL (RFC 4314): {@code operation} from the rights' {@code +}/{@code -} prefix, {@code rights} the
     * letters after it (already checked to be known rights).
     */
    record SetAcl(String tag, String mailbox, String identifier, FlagOperation operation, String rights)
        implements ImapCommand {
    }

    record DeleteAcl(String tag, String mailbox, String identifier) implements ImapCommand {
    }

    record GetAcl(String tag, String mailbox) implements ImapCommand {
    }

    record ListRights(String tag, String mailbox, String identifier) implements ImapCommand {
    }

    record MyRights(String tag, String mailbox) implements ImapCommand {
    }
}
