package org.merpati.connector.imap.proto;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.merpati.connector.api.access.FlagOperation;
import org.merpati.connector.api.access.MailboxRights;
import org.merpati.connector.api.access.SearchKey;

/**
 * Parses one {@link RawCommand} into an {@link ImapCommand} (RFC 9051 section 9 grammar plus the extensions
 * the server announces). Mailbox names are decoded from modified UTF-7 unless the client enabled UTF-8.
 */
public final class ImapCommandParser {

    /** What parsing needs from the session. */
    public record Context(boolean utf8, SearchParser.SequenceResolver resolver) {
    }

    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder().parseCaseInsensitive()
        .appendPattern("d-MMM-yyyy HH:mm:ss Z").toFormatter(Locale.ENGLISH);

    private static final Set<String> SYSTEM_FLAGS = Set.of("\\SEEN", "\\ANSWERED", "\\FLAGGED", "\\DELETED", "\\DRAFT");

    private final ImapArgs args;
    private final Context context;
    private String tag;

    private ImapCommandParser(RawCommand raw, Context context) {
        this.args = new ImapArgs(raw);
        this.context = context;
    }

    /**
     * @throws ImapSyntaxException with the tag available from {@link CommandFramer#tagOf} for the reply
     */
    public static ImapCommand parse(RawCommand raw, Context context) throws ImapSyntaxException {
        return new ImapCommandParser(raw, context).command();
    }

    /** The command name after the tag (upper case, with UID prefix), or null when unreadable. */
    public static String commandName(RawCommand raw) {
        ImapArgs a = new ImapArgs(raw);
        try {
            a.tag();
            a.sp();
            String name = a.atom().toUpperCase(Locale.ROOT);
            if (name.equals("UID") && a.optionalSp()) {
                name = "UID " + a.atom().toUpperCase(Locale.ROOT);
            }
            return name;
        } catch (ImapSyntaxException e) {
            return null;
        }
    }

    private ImapCommand command() throws ImapSyntaxException {
        tag = args.tag();
        args.sp();
        String name = args.atom().toUpperCase(Locale.ROOT);
        ImapCommand command = switch (name) {
            case "CAPABILITY", "NOOP", "LOGOUT", "STARTTLS", "CHECK", "CLOSE", "UNSELECT", "EXPUNGE", "IDLE", "NAMESPACE" ->
                new ImapCommand.Simple(tag, ImapCommand.Verb.valueOf(name));
            case "LOGIN" -> login();
            case "AUTHENTICATE" -> authenticate();
            case "ENABLE" -> enable();
            case "SELECT", "EXAMINE" -> select(name.equals("EXAMINE"));
            case "LIST" -> list(false);
            case "LSUB" -> list(true);
            case "STATUS" -> status();
            case "CREATE" -> create();
            case "DELETE" -> new ImapCommand.Delete(tag, spMailbox());
            case "RENAME" -> {
                String from = spMailbox();
                yield new ImapCommand.Rename(tag, from, spMailbox());
            }
            case "SUBSCRIBE" -> new ImapCommand.Subscribe(tag, spMailbox(), true);
            case "UNSUBSCRIBE" -> new ImapCommand.Subscribe(tag, spMailbox(), false);
            case "ID" -> id();
            case "FETCH" -> fetch(false);
            case "STORE" -> store(false);
            case "SEARCH" -> search(false);
            case "SORT" -> sort(false);
            case "THREAD" -> thread(false);
            case "COPY" -> copy(false, false);
            case "MOVE" -> copy(false, true);
            case "APPEND" -> append();
            case "GETQUOTA" -> {
                args.sp();
                yield new ImapCommand.GetQuota(tag, args.astring());
            }
            case "GETQUOTAROOT" -> new ImapCommand.GetQuotaRoot(tag, spMailbox());
            case "COMPRESS" -> {
                args.sp();
                yield new ImapCommand.Compress(tag, args.atom().toUpperCase(Locale.ROOT));
            }
            case "SETACL" -> setAcl();
            case "DELETEACL" -> {
                String mailbox = spMailbox();
                yield new ImapCommand.DeleteAcl(tag, mailbox, spIdentifier());
            }
            case "GETACL" -> new ImapCommand.GetAcl(tag, spMailbox());
            case "LISTRIGHTS" -> {
                String mailbox = spMailbox();
                yield new ImapCommand.ListRights(tag, mailbox, spIdentifier());
            }
            case "MYRIGHTS" -> new ImapCommand.MyRights(tag, spMailbox());
            case "UID" -> uid();
            default -> throw new ImapSyntaxException("unknown command " + name);
        };
        args.end();
        return command;
    }

    private ImapCommand uid() throws ImapSyntaxException {
        args.sp();
        String name = args.atom().toUpperCase(Locale.ROOT);
        return switch (name) {
            case "FETCH" -> fetch(true);
            case "STORE" -> store(true);
            case "SEARCH" -> search(true);
            case "SORT" -> sort(true);
            case "THREAD" -> thread(true);
            case "COPY" -> copy(true, false);
            case "MOVE" -> copy(true, true);
            case "EXPUNGE" -> {
                args.sp();
                yield new ImapCommand.UidExpunge(tag, SequenceSet.parse(args));
            }
            default -> throw new ImapSyntaxException("unknown command UID " + name);
        };
    }

    // ---------------------------------------------------------------- helpers

    private String spMailbox() throws ImapSyntaxException {
        args.sp();
        return mailbox();
    }

    private String mailbox() throws ImapSyntaxException {
        return decodeMailbox(args.astring());
    }

    private String decodeMailbox(String name) throws ImapSyntaxException {
        if (name.equalsIgnoreCase("INBOX")) {
            return "INBOX";
        }
        if (!context.utf8()) {
            try {
                name = ModifiedUtf7.decode(name);
            } catch (IllegalArgumentException e) {
                throw new ImapSyntaxException("mailbox name is not valid modified UTF-7");
            }
        }
        if (name.regionMatches(true, 0, "INBOX/", 0, 6)) {
            name = "INBOX" + name.substring(5);
        }
        return name;
    }

    private Set<String> flags() throws ImapSyntaxException {
        Set<String> flags = new LinkedHashSet<>();
        for (String f : args.flagList()) {
            flags.add(normaliseFlag(f));
        }
        return flags;
    }

    static String normaliseFlag(String f) throws ImapSyntaxException {
        if (f.startsWith("\\")) {
            String upper = f.toUpperCase(Locale.ROOT);
            if (!SYSTEM_FLAGS.contains(upper)) {
                throw new ImapSyntaxException("unknown system flag " + f);
            }
            return "\\" + upper.charAt(1) + upper.substring(2).toLowerCase(Locale.ROOT);
        }
        for (int i = 0; i < f.length(); i++) {
            if (!ImapArgs.isAtomChar(f.charAt(i))) {
                throw new ImapSyntaxException("bad keyword " + f);
            }
        }
        return f;
    }

    private List<String> atomList() throws ImapSyntaxException {
        args.open();
        List<String> out = new ArrayList<>();
        if (args.tryClose()) {
            return out;
        }
        do {
            out.add(args.atom().toUpperCase(Locale.ROOT));
        } while (args.optionalSp());
        args.close();
        return out;
    }

    // ---------------------------------------------------------------- commands

    /** An ACL identifier (RFC 4314 section 3): an astring, refused (BAD) when empty or with controls. */
    private String spIdentifier() throws ImapSyntaxException {
        args.sp();
        String identifier = args.astring();
        if (identifier.isEmpty() || identifier.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            throw new ImapSyntaxException("invalid identifier");
        }
        return identifier;
    }

    /** SETACL mailbox identifier mod-rights: an unknown right is BAD, never ignored (RFC 4314 section 3.1). */
    private ImapCommand setAcl() throws ImapSyntaxException {
        String mailbox = spMailbox();
        String identifier = spIdentifier();
        args.sp();
        String modRights = args.astring();
        FlagOperation operation = FlagOperation.REPLACE;
        String rights = modRights;
        if (modRights.startsWith("+") || modRights.startsWith("-")) {
            operation = modRights.startsWith("+") ? FlagOperation.ADD : FlagOperation.REMOVE;
            rights = modRights.substring(1);
        }
        try {
            MailboxRights.parse(rights);
        } catch (IllegalArgumentException e) {
            throw new ImapSyntaxException(e.getMessage());
        }
        return new ImapCommand.SetAcl(tag, mailbox, identifier, operation, rights);
    }

    private ImapCommand login() throws ImapSyntaxException {
        args.sp();
        String user = args.astring();
        args.sp();
        return new ImapCommand.Login(tag, user, args.astring());
    }

    private ImapCommand authenticate() throws ImapSyntaxException {
        args.sp();
        String mechanism = args.atom().toUpperCase(Locale.ROOT);
        String initial = null;
        if (args.optionalSp()) {
            initial = args.consume('=') ? "" : args.run("+/=");
        }
        return new ImapCommand.Authenticate(tag, mechanism, initial);
    }

    private ImapCommand enable() throws ImapSyntaxException {
        List<String> caps = new ArrayList<>();
        while (args.optionalSp()) {
            caps.add(args.atom().toUpperCase(Locale.ROOT));
        }
        if (caps.isEmpty()) {
            throw new ImapSyntaxException("ENABLE needs a capability");
        }
        return new ImapCommand.Enable(tag, caps);
    }

    private ImapCommand select(boolean readOnly) throws ImapSyntaxException {
        String mailbox = spMailbox();
        boolean condstore = false;
        ImapCommand.Qresync qresync = null;
        if (args.optionalSp()) {
            args.open();
            do {
                String p = args.atom().toUpperCase(Locale.ROOT);
                if (p.equals("CONDSTORE")) {
                    condstore = true;
                } else if (p.equals("QRESYNC")) {
                    args.sp();
                    qresync = qresync();
                } else {
                    throw new ImapSyntaxException("unknown SELECT parameter " + p);
                }
            } while (args.optionalSp());
            args.close();
        }
        return new ImapCommand.Select(tag, mailbox, readOnly, condstore, qresync);
    }

    private ImapCommand.Qresync qresync() throws ImapSyntaxException {
        args.open();
        long uidValidity = args.nzNumber();
        args.sp();
        long modseq = args.number();
        SequenceSet known = null;
        SequenceSet seqMatch = null;
        SequenceSet uidMatch = null;
        if (args.optionalSp()) {
            if (args.peek() != '(') {
                known = SequenceSet.parse(args);
                args.optionalSp();
            }
            if (args.tryOpen()) {
                seqMatch = SequenceSet.parse(args);
                args.sp();
                uidMatch = SequenceSet.parse(args);
                args.close();
            }
        }
        args.close();
        return new ImapCommand.Qresync(uidValidity, modseq, known, seqMatch, uidMatch);
    }

    private ImapCommand list(boolean lsub) throws ImapSyntaxException {
        args.sp();
        List<String> selection = List.of();
        if (!lsub && args.peek() == '(') {
            selection = atomList();
            args.sp();
        }
        String reference = decodeMailbox(args.astring());
        args.sp();
        List<String> patterns = new ArrayList<>();
        if (!lsub && args.tryOpen()) {
            do {
                patterns.add(decodePattern(args.listMailbox()));
            } while (args.optionalSp());
            args.close();
        } else {
            patterns.add(decodePattern(args.listMailbox()));
        }
        Set<String> returns = new LinkedHashSet<>();
        List<String> statusItems = List.of();
        if (!lsub && args.optionalSp()) {
            if (!args.consumeAtom("RETURN")) {
                throw new ImapSyntaxException("expected RETURN");
            }
            args.sp();
            args.open();
            if (!args.tryClose()) {
                do {
                    String option = args.atom().toUpperCase(Locale.ROOT);
                    if (option.equals("STATUS")) {
                        args.sp();
                        statusItems = atomList();
                    }
                    returns.add(option);
                } while (args.optionalSp());
                args.close();
            }
        }
        return new ImapCommand.ListMailboxes(tag, lsub, selection, reference, patterns, returns, statusItems);
    }

    private String decodePattern(String pattern) throws ImapSyntaxException {
        if (context.utf8() || pattern.indexOf('&') < 0) {
            return pattern;
        }
        try {
            return ModifiedUtf7.decode(pattern);
        } catch (IllegalArgumentException e) {
            throw new ImapSyntaxException("pattern is not valid modified UTF-7");
        }
    }

    private ImapCommand status() throws ImapSyntaxException {
        String mailbox = spMailbox();
        args.sp();
        List<String> items = atomList();
        if (items.isEmpty()) {
            throw new ImapSyntaxException("STATUS needs items");
        }
        return new ImapCommand.Status(tag, mailbox, items);
    }

    private ImapCommand create() throws ImapSyntaxException {
        String mailbox = spMailbox();
        String use = null;
        if (args.optionalSp()) {
            args.open();
            if (!args.consumeAtom("USE")) {
                throw new ImapSyntaxException("unknown CREATE parameter");
            }
            args.sp();
            List<String> uses = args.flagList();
            if (uses.size() > 1) {
                throw new ImapSyntaxException("one special use per mailbox");
            }
            use = uses.isEmpty() ? null : uses.get(0);
            args.close();
        }
        return new ImapCommand.Create(tag, mailbox, use);
    }

    private ImapCommand id() throws ImapSyntaxException {
        args.sp();
        Map<String, String> params = new LinkedHashMap<>();
        if (!args.consumeAtom("NIL")) {
            args.open();
            if (!args.tryClose()) {
                do {
                    String key = args.string();
                    args.sp();
                    params.put(key, args.nstring());
                } while (args.optionalSp());
                args.close();
            }
        }
        return new ImapCommand.Id(tag, params);
    }

    private ImapCommand fetch(boolean uid) throws ImapSyntaxException {
        args.sp();
        SequenceSet set = SequenceSet.parse(args);
        args.sp();
        List<FetchAttribute> atts = new ArrayList<>();
        if (args.consumeAtom("ALL")) {
            atts.addAll(List.of(FetchAttribute.Simple.FLAGS, FetchAttribute.Simple.INTERNALDATE,
                FetchAttribute.Simple.RFC822_SIZE, FetchAttribute.Simple.ENVELOPE));
        } else if (args.consumeAtom("FAST")) {
            atts.addAll(List.of(FetchAttribute.Simple.FLAGS, FetchAttribute.Simple.INTERNALDATE, FetchAttribute.Simple.RFC822_SIZE));
        } else if (args.consumeAtom("FULL")) {
            atts.addAll(List.of(FetchAttribute.Simple.FLAGS, FetchAttribute.Simple.INTERNALDATE,
                FetchAttribute.Simple.RFC822_SIZE, FetchAttribute.Simple.ENVELOPE, FetchAttribute.Simple.BODY));
        } else if (args.tryOpen()) {
            do {
                atts.add(fetchAttribute());
            } while (args.optionalSp());
            args.close();
        } else {
            atts.add(fetchAttribute());
        }
        long changedSince = -1;
        boolean vanished = false;
        if (args.optionalSp()) {
            args.open();
            do {
                String m = args.atom().toUpperCase(Locale.ROOT);
                if (m.equals("CHANGEDSINCE")) {
                    args.sp();
                    changedSince = args.number();
                } else if (m.equals("VANISHED") && uid) {
                    vanished = true;
                } else {
                    throw new ImapSyntaxException("unknown FETCH modifier " + m);
                }
            } while (args.optionalSp());
            args.close();
            if (vanished && changedSince < 0) {
                throw new ImapSyntaxException("VANISHED needs CHANGEDSINCE");
            }
        }
        return new ImapCommand.Fetch(tag, uid, set, atts, changedSince, vanished);
    }

    private FetchAttribute fetchAttribute() throws ImapSyntaxException {
        String name = args.fetchAttName().toUpperCase(Locale.ROOT);
        switch (name) {
            case "BODY":
            case "BODY.PEEK": {
                if (!args.consume('[')) {
                    if (name.equals("BODY.PEEK")) {
                        throw new ImapSyntaxException("BODY.PEEK needs a section");
                    }
                    return FetchAttribute.Simple.BODY;
                }
                BodySection section = BodySection.parse(args, false);
                return new FetchAttribute.Section(name.equals("BODY.PEEK"), section, partial());
            }
            case "BINARY":
            case "BINARY.PEEK":
            case "BINARY.SIZE": {
                args.expect('[');
                List<Integer> path = BodySection.parse(args, true).path();
                if (name.equals("BINARY.SIZE")) {
                    return new FetchAttribute.BinarySize(path);
                }
                return new FetchAttribute.Binary(name.equals("BINARY.PEEK"), path, partial());
            }
            default:
                try {
                    return FetchAttribute.Simple.valueOf(name.replace('.', '_'));
                } catch (IllegalArgumentException e) {
                    throw new ImapSyntaxException("unknown fetch attribute " + name);
                }
        }
    }

    private FetchAttribute.Partial partial() throws ImapSyntaxException {
        if (!args.consume('<')) {
            return null;
        }
        long offset = args.number();
        args.expect('.');
        long length = args.nzNumber();
        args.expect('>');
        return new FetchAttribute.Partial(offset, length);
    }

    private ImapCommand store(boolean uid) throws ImapSyntaxException {
        args.sp();
        SequenceSet set = SequenceSet.parse(args);
        args.sp();
        long unchangedSince = -1;
        if (args.tryOpen()) {
            if (!args.consumeAtom("UNCHANGEDSINCE")) {
                throw new ImapSyntaxException("unknown STORE modifier");
            }
            args.sp();
            unchangedSince = args.number();
            args.close();
            args.sp();
        }
        FlagOperation op = FlagOperation.REPLACE;
        if (args.consume('+')) {
            op = FlagOperation.ADD;
        } else if (args.consume('-')) {
            op = FlagOperation.REMOVE;
        }
        String item = args.atom().toUpperCase(Locale.ROOT);
        boolean silent;
        if (item.equals("FLAGS")) {
            silent = false;
        } else if (item.equals("FLAGS.SILENT")) {
            silent = true;
        } else {
            throw new ImapSyntaxException("expected FLAGS");
        }
        args.sp();
        Set<String> flags;
        if (args.peek() == '(') {
            flags = flags();
        } else {
            flags = new LinkedHashSet<>();
            do {
                String f = args.peek() == '\\' ? "\\" + skipBackslash() : args.atom();
                flags.add(normaliseFlag(f));
            } while (args.optionalSp());
        }
        return new ImapCommand.Store(tag, uid, set, op, silent, flags, unchangedSince);
    }

    private String skipBackslash() throws ImapSyntaxException {
        args.expect('\\');
        return args.atom();
    }

    /** RETURN (...) of ESEARCH (RFC 4731), or null when absent. */
    private Set<String> returnOptions() throws ImapSyntaxException {
        if (!args.consumeAtom("RETURN")) {
            return null;
        }
        args.sp();
        Set<String> options = new LinkedHashSet<>(atomList());
        for (String o : options) {
            if (!Set.of("MIN", "MAX", "COUNT", "ALL", "SAVE").contains(o)) {
                throw new ImapSyntaxException("unknown RETURN option " + o);
            }
        }
        if (options.isEmpty()) {
            options.add("ALL");
        }
        args.sp();
        return options;
    }

    /** CHARSET: UTF-8 and US-ASCII only; anything else is refused with [BADCHARSET] by the session. */
    private void charset(boolean required) throws ImapSyntaxException {
        if (required || args.consumeAtom("CHARSET")) {
            if (!required) {
                args.sp();
            }
            String charset = args.astring().toUpperCase(Locale.ROOT);
            if (!charset.equals("UTF-8") && !charset.equals("US-ASCII")) {
                throw new BadCharsetException(charset);
            }
            args.sp();
        }
    }

    private ImapCommand search(boolean uid) throws ImapSyntaxException {
        args.sp();
        Set<String> options = returnOptions();
        charset(false);
        SearchKey key = new SearchParser(args, context.resolver()).keys();
        return new ImapCommand.Search(tag, uid, key, options);
    }

    private ImapCommand sort(boolean uid) throws ImapSyntaxException {
        args.sp();
        Set<String> options = returnOptions();
        args.open();
        List<ImapCommand.SortCriterion> criteria = new ArrayList<>();
        do {
            boolean reverse = args.consumeAtom("REVERSE");
            if (reverse) {
                args.sp();
            }
            String key = args.atom().toUpperCase(Locale.ROOT);
            if (!Set.of("ARRIVAL", "CC", "DATE", "FROM", "SIZE", "SUBJECT", "TO", "DISPLAYFROM", "DISPLAYTO").contains(key)) {
                throw new ImapSyntaxException("unknown sort key " + key);
            }
            criteria.add(new ImapCommand.SortCriterion(key, reverse));
        } while (args.optionalSp());
        args.close();
        args.sp();
        charset(true);
        return new ImapCommand.Sort(tag, uid, criteria, new SearchParser(args, context.resolver()).keys(), options);
    }

    private ImapCommand thread(boolean uid) throws ImapSyntaxException {
        args.sp();
        String algorithm = args.atom().toUpperCase(Locale.ROOT);
        if (!algorithm.equals("REFERENCES") && !algorithm.equals("ORDEREDSUBJECT")) {
            throw new ImapSyntaxException("unknown THREAD algorithm " + algorithm);
        }
        args.sp();
        charset(true);
        return new ImapCommand.Thread(tag, uid, algorithm, new SearchParser(args, context.resolver()).keys());
    }

    private ImapCommand copy(boolean uid, boolean move) throws ImapSyntaxException {
        args.sp();
        SequenceSet set = SequenceSet.parse(args);
        return new ImapCommand.Copy(tag, uid, set, spMailbox(), move);
    }

    private ImapCommand append() throws ImapSyntaxException {
        String mailbox = spMailbox();
        List<ImapCommand.AppendMessage> messages = new ArrayList<>();
        while (args.optionalSp()) {
            Set<String> flags = Set.of();
            Instant date = null;
            if (args.peek() == '(') {
                flags = flags();
                args.sp();
            }
            if (args.peek() == '"') {
                date = dateTime(args.string());
                args.sp();
            }
            Literal content;
            if (args.consumeAtom("UTF8")) {
                args.sp();
                args.open();
                content = args.literal();
                args.close();
            } else {
                content = args.literal();
            }
            messages.add(new ImapCommand.AppendMessage(flags, date, content));
        }
        if (messages.isEmpty()) {
            throw new ImapSyntaxException("APPEND needs a message");
        }
        return new ImapCommand.Append(tag, mailbox, messages);
    }

    static Instant dateTime(String text) throws ImapSyntaxException {
        try {
            return ZonedDateTime.parse(text.strip(), DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new ImapSyntaxException("bad date-time " + text);
        }
    }

    /** An unsupported CHARSET: answered NO [BADCHARSET (UTF-8 US-ASCII)], not BAD. */
    public static final class BadCharsetException extends ImapSyntaxException {
        private static final long serialVersionUID = 1L;

        BadCharsetException(String charset) {
            super("charset " + charset + " not supported");
        }
    }
}
