package org.merpati.connector.imap.proto;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Which commands are valid in which state, and which use message sequence numbers (the Dovecot
 * {@code imap-commands.c} habit: the table makes pipelining safe by construction).
 *
 * <p>Pending updates (RFC 9051 section 5.5 and 7.5.1): EXISTS and FETCH FLAGS may be sent at the end of any
 * command in the selected state. EXPUNGE (or VANISHED) is sent only at the end of commands that do not use
 * sequence numbers: NOOP, CHECK, IDLE, EXPUNGE, UID EXPUNGE, the UID forms of FETCH/STORE/SEARCH/COPY/MOVE/
 * SORT/THREAD, and the mailbox commands (LIST, STATUS, CREATE, APPEND ...). FETCH, STORE, SEARCH, COPY, MOVE,
 * SORT and THREAD by sequence number never receive them, so the numbers a client pipelines stay valid.
 */
public final class ImapCommandRules {

    private static final Set<ImapState> ANY = EnumSet.of(ImapState.NOT_AUTHENTICATED, ImapState.AUTHENTICATED, ImapState.SELECTED);
    private static final Set<ImapState> NOT_AUTH = EnumSet.of(ImapState.NOT_AUTHENTICATED);
    private static final Set<ImapState> AUTH = EnumSet.of(ImapState.AUTHENTICATED, ImapState.SELECTED);
    private static final Set<ImapState> SELECTED = EnumSet.of(ImapState.SELECTED);

    private record Rule(Set<ImapState> states, boolean usesSequenceNumbers) {
    }

    private static final Map<String, Rule> RULES = Map.ofEntries(
        Map.entry("CAPABILITY", new Rule(ANY, false)),
        Map.entry("NOOP", new Rule(ANY, false)),
        Map.entry("LOGOUT", new Rule(ANY, false)),
        Map.entry("ID", new Rule(ANY, false)),
        Map.entry("STARTTLS", new Rule(NOT_AUTH, false)),
        Map.entry("LOGIN", new Rule(NOT_AUTH, false)),
        Map.entry("AUTHENTICATE", new Rule(NOT_AUTH, false)),
        Map.entry("ENABLE", new Rule(AUTH, false)),
        Map.entry("SELECT", new Rule(AUTH, false)),
        Map.entry("EXAMINE", new Rule(AUTH, false)),
        Map.entry("CREATE", new Rule(AUTH, false)),
        Map.entry("DELETE", new Rule(AUTH, false)),
        Map.entry("RENAME", new Rule(AUTH, false)),
        Map.entry("SUBSCRIBE", new Rule(AUTH, false)),
        Map.entry("UNSUBSCRIBE", new Rule(AUTH, false)),
        Map.entry("LIST", new Rule(AUTH, false)),
        Map.entry("LSUB", new Rule(AUTH, false)),
        Map.entry("NAMESPACE", new Rule(AUTH, false)),
        Map.entry("STATUS", new Rule(AUTH, false)),
        Map.entry("APPEND", new Rule(AUTH, false)),
        Map.entry("IDLE", new Rule(AUTH, false)),
        Map.entry("GETQUOTA", new Rule(AUTH, false)),
        Map.entry("GETQUOTAROOT", new Rule(AUTH, false)),
        Map.entry("COMPRESS", new Rule(AUTH, false)),
        Map.entry("SETACL", new Rule(AUTH, false)),
        Map.entry("DELETEACL", new Rule(AUTH, false)),
        Map.entry("GETACL", new Rule(AUTH, false)),
        Map.entry("LISTRIGHTS", new Rule(AUTH, false)),
        Map.entry("MYRIGHTS", new Rule(AUTH, false)),
        Map.entry("CHECK", new Rule(SELECTED, false)),
        Map.entry("CLOSE", new Rule(SELECTED, false)),
        Map.entry("UNSELECT", new Rule(SELECTED, false)),
        Map.entry("EXPUNGE", new Rule(SELECTED, false)),
        Map.entry("UID EXPUNGE", new Rule(SELECTED, false)),
        Map.entry("FETCH", new Rule(SELECTED, true)),
        Map.entry("UID FETCH", new Rule(SELECTED, false)),
        Map.entry("STORE", new Rule(SELECTED, true)),
        Map.entry("UID STORE", new Rule(SELECTED, false)),
        Map.entry("SEARCH", new Rule(SELECTED, true)),
        Map.entry("UID SEARCH", new Rule(SELECTED, false)),
        Map.entry("SORT", new Rule(SELECTED, true)),
        Map.entry("UID SORT", new Rule(SELECTED, false)),
        Map.entry("THREAD", new Rule(SELECTED, true)),
        Map.entry("UID THREAD", new Rule(SELECTED, false)),
        Map.entry("COPY", new Rule(SELECTED, true)),
        Map.entry("UID COPY", new Rule(SELECTED, false)),
        Map.entry("MOVE", new Rule(SELECTED, true)),
        Map.entry("UID MOVE", new Rule(SELECTED, false)));

    private ImapCommandRules() {
    }

    /** Whether the command is known at all (else BAD). */
    public static boolean isKnown(String name) {
        return RULES.containsKey(name);
    }

    public static boolean validIn(String name, ImapState state) {
        Rule rule = RULES.get(name);
        return rule != null && rule.states().contains(state);
    }

    /** Whether pending EXPUNGE responses may be sent when this command completes. */
    public static boolean mayReceiveExpunge(String name) {
        Rule rule = RULES.get(name);
        return rule != null && !rule.usesSequenceNumbers();
    }

    static String nameOf(ImapCommand c) {
        String uid = "UID ";
        if (c instanceof ImapCommand.Simple s) {
            return s.verb().name();
        } else if (c instanceof ImapCommand.Login) {
            return "LOGIN";
        } else if (c instanceof ImapCommand.Authenticate) {
            return "AUTHENTICATE";
        } else if (c instanceof ImapCommand.Enable) {
            return "ENABLE";
        } else if (c instanceof ImapCommand.Select s) {
            return s.readOnly() ? "EXAMINE" : "SELECT";
        } else if (c instanceof ImapCommand.ListMailboxes l) {
            return l.lsub() ? "LSUB" : "LIST";
        } else if (c instanceof ImapCommand.Status) {
            return "STATUS";
        } else if (c instanceof ImapCommand.Create) {
            return "CREATE";
        } else if (c instanceof ImapCommand.Delete) {
            return "DELETE";
        } else if (c instanceof ImapCommand.Rename) {
            return "RENAME";
        } else if (c instanceof ImapCommand.Subscribe s) {
            return s.subscribe() ? "SUBSCRIBE" : "UNSUBSCRIBE";
        } else if (c instanceof ImapCommand.Id) {
            return "ID";
        } else if (c instanceof ImapCommand.Fetch f) {
            return (f.uid() ? uid : "") + "FETCH";
        } else if (c instanceof ImapCommand.Store s) {
            return (s.uid() ? uid : "") + "STORE";
        } else if (c instanceof ImapCommand.Search s) {
            return (s.uid() ? uid : "") + "SEARCH";
        } else if (c instanceof ImapCommand.Sort s) {
            return (s.uid() ? uid : "") + "SORT";
        } else if (c instanceof ImapCommand.Thread t) {
            return (t.uid() ? uid : "") + "THREAD";
        } else if (c instanceof ImapCommand.Copy cp) {
            return (cp.uid() ? uid : "") + (cp.move() ? "MOVE" : "COPY");
        } else if (c instanceof ImapCommand.UidExpunge) {
            return "UID EXPUNGE";
        } else if (c instanceof ImapCommand.Append) {
            return "APPEND";
        } else if (c instanceof ImapCommand.GetQuota) {
            return "GETQUOTA";
        } else if (c instanceof ImapCommand.GetQuotaRoot) {
            return "GETQUOTAROOT";
        } else if (c instanceof ImapCommand.Compress) {
            return "COMPRESS";
        } else if (c instanceof ImapCommand.SetAcl) {
            return "SETACL";
        } else if (c instanceof ImapCommand.DeleteAcl) {
            return "DELETEACL";
        } else if (c instanceof ImapCommand.GetAcl) {
            return "GETACL";
        } else if (c instanceof ImapCommand.ListRights) {
            return "LISTRIGHTS";
        } else if (c instanceof ImapCommand.MyRights) {
            return "MYRIGHTS";
        }
        throw new IllegalArgumentException(c.getClass().getName());
    }
}
