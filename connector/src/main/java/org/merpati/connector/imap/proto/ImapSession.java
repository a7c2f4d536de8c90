package org.merpati.connector.imap.proto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.merpati.connector.api.SessionInfo;
import org.merpati.connector.api.access.AclEntry;
import org.merpati.connector.api.access.AppendRequest;
import org.merpati.connector.api.access.AppendResult;
import org.merpati.connector.api.access.CopyResult;
import org.merpati.connector.api.access.FlagOperation;
import org.merpati.connector.api.access.ImapListener;
import org.merpati.connector.api.access.MailboxChangeBus;
import org.merpati.connector.api.access.MailboxChanges;
import org.merpati.connector.api.access.MailAccessException;
import org.merpati.connector.api.access.MailboxInfo;
import org.merpati.connector.api.access.MailboxRights;
import org.merpati.connector.api.access.MailboxSnapshot;
import org.merpati.connector.api.access.MailboxStatus;
import org.merpati.connector.api.access.MessageData;
import org.merpati.connector.api.access.MessageFlags;
import org.merpati.connector.api.access.Namespaces;
import org.merpati.connector.api.access.QuotaUsage;
import org.merpati.connector.api.access.RightsList;
import org.merpati.connector.api.access.SearchKey;
import org.merpati.connector.api.access.StoreResult;
import org.merpati.connector.endpoint.EndpointDispatcher;
import org.merpati.connector.spool.SpoolDirectory;
import org.merpati.connector.spool.SpoolFile;

/**
 * One IMAP connection: bytes in, responses and endpoint calls out. Commands run strictly one at a time in the
 * order they arrived (RFC 9051 section 5.5): while one waits for the endpoint, input is paused and pipelined
 * commands wait in the socket. Untagged updates about the selected mailbox are sent just before a tagged
 * response, EXPUNGE only where {@link ImapCommandRules#mayReceiveExpunge} allows.
 *
 * <p>Threading: every method runs on one thread (the channel's event loop). Endpoint calls go through the
 * {@link EndpointDispatcher}; their results come back through {@link ImapTransport#execute}.
 */
public final class ImapSession {

    private static final Logger LOG = Logger.getLogger(ImapSession.class.getName());
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final long[] NO_UIDS = new long[0];
    /** RFC 7888: without LITERAL+ a non-synchronizing literal may not exceed this (LITERAL-). */
    static final int LITERAL_MINUS_MAX = 4096;
    /** Messages in one MULTIAPPEND: each is spooled until the command ends, so the disk use needs a bound. */
    static final int MAX_APPEND_MESSAGES = 1000;
    private static final Set<String> SPECIAL_USES =
        Set.of("\\All", "\\Archive", "\\Drafts", "\\Flagged", "\\Junk", "\\Sent", "\\Trash");
    private static final Set<String> STATUS_ITEMS = Set.of("MESSAGES", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "DELETED",
        "SIZE", "HIGHESTMODSEQ", "APPENDLIMIT", "MAILBOXID", "RECENT");

    /** One endpoint call, run on a worker thread. */
    @FunctionalInterface
    interface EndpointCall<T> {
        T call(ImapListener listener, SessionInfo session) throws Exception;
    }

    private final ImapSessionConfig config;
    private final ImapConnection connection;
    private final ImapTransport transport;
    private final EndpointDispatcher<? extends ImapListener> dispatcher;
    private final SpoolDirectory spoolDirectory;
    private final UserConnectionLimiter userLimiter;
    private final CommandFramer framer;

    private ImapState state = ImapState.NOT_AUTHENTICATED;
    private ByteBuffer pending = EMPTY;
    private boolean busy;
    private boolean processing;
    private boolean inputPaused;
    private boolean closed;
    private String tlsProtocol;
    private String tlsCipher;
    private boolean compressed;
    private String user;
    /** ENABLEd extensions; an immutable empty set until the first ENABLE, so idle sessions stay small. */
    private Set<String> enabled = Set.of();
    private SelectedMailbox selected;
    /** The user's rights on the selected mailbox (RFC 4314): PERMANENTFLAGS, implicit \Seen, CLOSE's expunge. */
    private MailboxRights selectedRights = MailboxRights.ALL;
    private LongConsumer changeListener;
    /**
     * The highest MODSEQ the change bus announced for the selected mailbox. Above the MODSEQ the session is up to
     * date with, something changed that the session has not learnt: it polls before its next tagged response.
     */
    private long announced;
    private long[] savedSearch = NO_UIDS;
    private int errors;
    private int authFailures;
    private ImapCommand current;
    private ImapCommand.Simple idling;
    private Consumer<String> saslStep;
    private boolean pollInFlight;
    /** What waits for the running poll, or null. */
    private List<Runnable> afterPoll;

    public ImapSession(ImapSessionConfig config, ImapConnection connection, ImapTransport transport,
                       EndpointDispatcher<? extends ImapListener> dispatcher, SpoolDirectory spoolDirectory,
                       UserConnectionLimiter userLimiter) {
        this.config = config;
        this.connection = connection;
        this.transport = transport;
        this.dispatcher = dispatcher;
        this.spoolDirectory = spoolDirectory;
        this.userLimiter = userLimiter;
        // lines and in-memory literals of one command: a few lines' worth
        this.framer = new CommandFramer(config.maxLineLength(), 4L * config.maxLineLength(), this::decideLiteral);
    }

    // ---------------------------------------------------------------- events from the transport

    /** The connection is open (after the handshake for implicit TLS): greet. */
    public void start() {
        line("* OK [CAPABILITY " + capabilities() + "] " + config.serverName() + " Merpati IMAP ready");
        transport.flush();
    }

    /** Bytes from the client; the session may keep them until it has read them all. */
    public void receive(ByteBuffer data) {
        if (closed || !data.hasRemaining()) {
            return;
        }
        if (pending.hasRemaining()) {
            ByteBuffer joined = ByteBuffer.allocate(pending.remaining() + data.remaining());
            joined.put(pending).put(data).flip();
            pending = joined;
        } else {
            pending = data;
        }
        if (!busy) {
            process();
        }
    }

    public void tlsStarted(String protocol, String cipher) {
        this.tlsProtocol = protocol;
        this.tlsCipher = cipher;
    }

    /** No input for the idle timeout; ignored while a command is running (the client waits on us). */
    public void idle() {
        if (!busy && !closed) {
            bye("idle timeout, closing connection");
        }
    }

    /** The listener stops. */
    public void shutdown() {
        if (!closed) {
            bye("server shutting down");
        }
    }

    /** The connection is gone. */
    public void disconnected() {
        closed = true;
        closeMailbox();
        framer.reset();
        pending = EMPTY;
        if (user != null) {
            userLimiter.release(user);
            user = null;
        }
    }

    public boolean isClosed() {
        return closed;
    }

    public ImapState state() {
        return state;
    }

    // ---------------------------------------------------------------- input

    private void process() {
        if (processing) {
            return;
        }
        processing = true;
        try {
            while (!busy && !closed && pending.hasRemaining()) {
                CommandFramer.Event event = framer.next(pending);
                if (event == null) {
                    break;
                }
                handle(event);
            }
        } finally {
            processing = false;
        }
        if (!pending.hasRemaining()) {
            pending = EMPTY; // not the last read's buffer: an idle session keeps no input
        }
        if (!busy && !closed) {
            transport.flush();
            if (inputPaused) {
                inputPaused = false;
                transport.resumeInput();
            }
        }
    }

    private void handle(CommandFramer.Event event) {
        if (event instanceof CommandFramer.Event.ContinuationNeeded) {
            line("+ Ready for literal data");
            transport.flush();
        } else if (event instanceof CommandFramer.Event.Refused refused) {
            line((refused.tag() == null ? "*" : refused.tag()) + " " + refused.response());
            if (refused.response().startsWith("BAD")) {
                countError();
            }
        } else if (event instanceof CommandFramer.Event.Command command) {
            RawCommand raw = command.command();
            if (idling != null) {
                idleLine(raw);
            } else if (saslStep != null) {
                Consumer<String> step = saslStep;
                saslStep = null;
                step.accept(new String(raw.lines().get(0), StandardCharsets.ISO_8859_1).strip());
            } else {
                execute(raw);
            }
        }
    }

    /** Where a literal goes: APPEND messages to a spool file, anything else into memory within limits. */
    private CommandFramer.Decision decideLiteral(List<byte[]> lines, List<Literal> literals, long size, boolean nonSync,
                                                 boolean binary) {
        RawCommand partial = new RawCommand(lines, literals.subList(0, lines.size() - 1));
        String name = ImapCommandParser.commandName(partial);
        boolean appendMessage = "APPEND".equals(name) && !(literals.isEmpty()
            && new String(lines.get(0), StandardCharsets.ISO_8859_1).strip().toUpperCase(Locale.ROOT).endsWith("APPEND"));
        if (appendMessage) {
            if (state == ImapState.NOT_AUTHENTICATED || state == ImapState.LOGOUT) {
                return CommandFramer.Decision.refuse("NO not authenticated");
            }
            if (size > config.maxLiteralSize()) {
                return CommandFramer.Decision.refuse("NO [TOOBIG] message exceeds APPENDLIMIT " + config.maxLiteralSize());
            }
            if (literals.size() >= MAX_APPEND_MESSAGES) {
                return CommandFramer.Decision.refuse("NO [LIMIT] at most " + MAX_APPEND_MESSAGES + " messages in one APPEND");
            }
            try {
                return CommandFramer.Decision.spool(spoolDirectory.create());
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot create spool file in " + spoolDirectory.path(), e);
                return CommandFramer.Decision.refuse("NO [UNAVAILABLE] cannot store the message now");
            }
        }
        if (size > config.maxLineLength()) {
            return CommandFramer.Decision.refuse("BAD literal too large");
        }
        return CommandFramer.Decision.MEMORY;
    }

    private void execute(RawCommand raw) {
        ImapCommand command;
        try {
            command = ImapCommandParser.parse(raw, new ImapCommandParser.Context(utf8(), this::searchResolver));
        } catch (ImapCommandParser.BadCharsetException e) {
            raw.discard();
            String tag = CommandFramer.tagOf(raw.lines().get(0));
            line(tag + " NO [BADCHARSET (UTF-8 US-ASCII)] " + e.getMessage());
            return;
        } catch (ImapSyntaxException e) {
            raw.discard();
            String tag = CommandFramer.tagOf(raw.lines().get(0));
            String name = ImapCommandParser.commandName(raw);
            if (tag != null && name != null && ImapCommandRules.isKnown(name) && !ImapCommandRules.validIn(name, state)) {
                line(tag + " BAD " + name + " not valid in this state");
            } else {
                line((tag == null ? "*" : tag) + " BAD " + ImapResponses.clean(e.getMessage()));
            }
            countError();
            return;
        }
        String name = command.name();
        if (!ImapCommandRules.validIn(name, state)) {
            discardLiterals(command);
            line(command.tag() + " BAD " + name + " not valid in this state");
            countError();
            return;
        }
        current = command;
        busy = true;
        if (!inputPaused) {
            inputPaused = true;
            transport.pauseInput();
        }
        try {
            dispatch(command);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "internal error in IMAP session " + connection.sessionId(), e);
            finish(command, "NO [SERVERBUG] internal error");
        }
    }

    private static void discardLiterals(ImapCommand command) {
        if (command instanceof ImapCommand.Append append) {
            append.messages().forEach(m -> {
                if (m.content().spool() != null) {
                    m.content().spool().delete();
                }
            });
        }
    }

    private void dispatch(ImapCommand c) {
        if (c instanceof ImapCommand.Simple s) {
            simple(s);
        } else if (c instanceof ImapCommand.Login login) {
            login(login);
        } else if (c instanceof ImapCommand.Authenticate auth) {
            authenticate(auth);
        } else if (c instanceof ImapCommand.Enable enable) {
            enable(enable);
        } else if (c instanceof ImapCommand.Select select) {
            select(select);
        } else if (c instanceof ImapCommand.ListMailboxes list) {
            list(list);
        } else if (c instanceof ImapCommand.Status status) {
            status(status);
        } else if (c instanceof ImapCommand.Create create) {
            create(create);
        } else if (c instanceof ImapCommand.Delete delete) {
            call((l, s) -> {
                l.deleteMailbox(s, delete.mailbox());
                return Boolean.TRUE;
            }, (r, f) -> finish(c, f == null ? "OK DELETE completed" : failure(f, false)));
        } else if (c instanceof ImapCommand.Rename rename) {
            call((l, s) -> {
                l.renameMailbox(s, rename.from(), rename.to());
                return Boolean.TRUE;
            }, (r, f) -> finish(c, f == null ? "OK RENAME completed" : failure(f, false)));
        } else if (c instanceof ImapCommand.Subscribe sub) {
            call((l, s) -> {
                l.setSubscribed(s, sub.mailbox(), sub.subscribe());
                return Boolean.TRUE;
            }, (r, f) -> finish(c, f == null ? "OK " + c.name() + " completed" : failure(f, false)));
        } else if (c instanceof ImapCommand.Id) {
            line("* ID (\"name\" \"Merpati\" \"vendor\" \"Merpati\")");
            finish(c, "OK ID completed");
        } else if (c instanceof ImapCommand.Fetch fetch) {
            fetch(fetch);
        } else if (c instanceof ImapCommand.Store store) {
            store(store);
        } else if (c instanceof ImapCommand.Search search) {
            search(search);
        } else if (c instanceof ImapCommand.Sort sort) {
            sort(sort);
        } else if (c instanceof ImapCommand.Thread thread) {
            thread(thread);
        } else if (c instanceof ImapCommand.Copy copy) {
            copy(copy);
        } else if (c instanceof ImapCommand.UidExpunge expunge) {
            expunge(c, resolve(expunge.set(), true));
        } else if (c instanceof ImapCommand.Append append) {
            append(append);
        } else if (c instanceof ImapCommand.GetQuota quota) {
            quota(c, quota.root(), null);
        } else if (c instanceof ImapCommand.GetQuotaRoot root) {
            quota(c, null, root.mailbox());
        } else if (c instanceof ImapCommand.Compress compress) {
            compress(compress);
        } else if (c instanceof ImapCommand.SetAcl set) {
            call((l, s) -> {
                l.setAcl(s, set.mailbox(), set.identifier(), set.operation(), set.rights());
                return Boolean.TRUE;
            }, (r, f) -> finish(c, f == null ? "OK SETACL completed" : failure(f, false)));
        } else if (c instanceof ImapCommand.DeleteAcl delete) {
            call((l, s) -> {
                l.deleteAcl(s, delete.mailbox(), delete.identifier());
                return Boolean.TRUE;
            }, (r, f) -> finish(c, f == null ? "OK DELETEACL completed" : failure(f, false)));
        } else if (c instanceof ImapCommand.GetAcl get) {
            getAcl(get);
        } else if (c instanceof ImapCommand.ListRights list) {
            listRights(list);
        } else if (c instanceof ImapCommand.MyRights my) {
            myRights(my);
        } else {
            // ImapCommand is sealed and every kind has a branch above: reaching this is a bug in this class
            LOG.log(Level.SEVERE, "no handler for IMAP command " + c.getClass().getSimpleName());
            finish(c, "NO [SERVERBUG] internal error");
        }
    }

    // ---------------------------------------------------------------- completion

    /**
     * Ends the running command: pending updates first (polling the mailbox if the change bus said it changed),
     * then the tagged response; then the next pipelined command.
     */
    private void finish(ImapCommand command, String response) {
        if (unlearnt() && !closed) {
            poll(() -> complete(command, response));
            return;
        }
        complete(command, response);
    }

    private void complete(ImapCommand command, String response) {
        if (closed) {
            return;
        }
        if (selected != null) {
            for (String update : selected.drain(ImapCommandRules.mayReceiveExpunge(command.name()), qresync(), condstore())) {
                line(update);
            }
        }
        line(command.tag() + " " + response);
        if (response.startsWith("BAD")) {
            countError();
        }
        done();
    }

    /** The running command is over: read the next one. */
    private void done() {
        current = null;
        busy = false;
        if (!processing && !closed) {
            process();
        }
    }

    /** Whether the bus announced a change of the selected mailbox that the session has not learnt. */
    private boolean unlearnt() {
        return selected != null && announced > selected.highestModseq();
    }

    /**
     * Asks the endpoint what changed in the selected mailbox and records it; during IDLE the updates go out at
     * once. Polls never overlap (a change announced meanwhile triggers the next one), so each starts from what
     * the previous one learnt and nothing is reported twice. {@code then} (may be null) runs afterwards.
     */
    private void poll(Runnable then) {
        if (then != null) {
            if (afterPoll == null) {
                afterPoll = new ArrayList<>(2);
            }
            afterPoll.add(then);
        }
        if (pollInFlight) {
            return;
        }
        SelectedMailbox mailbox = selected;
        if (mailbox == null) {
            runAfterPoll();
            return;
        }
        pollInFlight = true;
        long since = mailbox.highestModseq();
        SessionInfo info = sessionInfo();
        CompletableFuture<MailboxChanges> future;
        try {
            future = dispatcher.call(l -> {
                try {
                    return l.changesSince(info, mailbox.id(), since);
                } catch (Exception e) {
                    throw new ImapResponses.WrappedException(e);
                }
            });
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((changes, f) -> {
            try {
                transport.execute(() -> polled(mailbox, changes, f));
            } catch (RejectedExecutionException e) {
                closed = true;
            }
        });
    }

    private void polled(SelectedMailbox mailbox, MailboxChanges changes, Throwable failure) {
        pollInFlight = false;
        if (closed) {
            return;
        }
        if (failure != null) {
            LOG.log(Level.FINE, "changesSince failed in session " + connection.sessionId(), failure);
        } else if (mailbox == selected) {
            mailbox.record(changes);
            if (idling != null) {
                for (String update : mailbox.drain(true, qresync(), condstore())) {
                    line(update);
                }
                transport.flush();
            }
        }
        if (failure == null && idling != null && unlearnt()) {
            poll(null); // announced while that poll ran (after a failure, the next announcement or command retries)
        }
        runAfterPoll();
    }

    private void runAfterPoll() {
        List<Runnable> waiting = afterPoll;
        afterPoll = null;
        if (waiting != null) {
            waiting.forEach(Runnable::run);
        }
    }

    // ---------------------------------------------------------------- endpoint calls

    private <T> void call(EndpointCall<T> call, BiConsumer<T, Throwable> then) {
        busy = true;
        if (!inputPaused) {
            inputPaused = true;
            transport.pauseInput();
        }
        SessionInfo info = sessionInfo();
        CompletableFuture<T> future;
        try {
            future = dispatcher.call(l -> {
                try {
                    return call.call(l, info);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new ImapResponses.WrappedException(e);
                }
            });
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        ImapCommand running = current;
        future.whenComplete((result, failure) -> {
            try {
                transport.execute(() -> {
                    if (closed) {
                        return;
                    }
                    try {
                        then.accept(result, failure == null ? null : ImapResponses.unwrap(failure));
                    } catch (RuntimeException e) {
                        LOG.log(Level.SEVERE, "internal error in IMAP session " + connection.sessionId(), e);
                        if (running != null) {
                            complete(running, "NO [SERVERBUG] internal error");
                        } else {
                            done();
                        }
                    }
                });
            } catch (RejectedExecutionException e) {
                closed = true; // the event loop is gone with the connection
            }
        });
    }

    private String failure(Throwable f, boolean tryCreate) {
        return ImapResponses.failure(f, tryCreate, connection.sessionId());
    }

    // ---------------------------------------------------------------- simple commands

    private void simple(ImapCommand.Simple c) {
        switch (c.verb()) {
            case CAPABILITY -> {
                line("* CAPABILITY " + capabilities());
                finish(c, "OK CAPABILITY completed");
            }
            case NOOP, CHECK -> {
                if (selected != null) {
                    poll(() -> complete(c, "OK " + c.verb() + " completed"));
                } else {
                    finish(c, "OK " + c.verb() + " completed");
                }
            }
            case LOGOUT -> {
                line("* BYE " + config.serverName() + " logging out");
                line(c.tag() + " OK LOGOUT completed");
                close();
            }
            case STARTTLS -> startTls(c);
            case NAMESPACE -> {
                line("* NAMESPACE " + namespaces());
                finish(c, "OK NAMESPACE completed");
            }
            case UNSELECT -> {
                closeMailbox();
                state = ImapState.AUTHENTICATED;
                finish(c, "OK UNSELECT completed");
            }
            case CLOSE -> closeCommand(c);
            case EXPUNGE -> expunge(c, null);
            case IDLE -> idle(c);
        }
    }

    private void startTls(ImapCommand.Simple c) {
        if (!config.startTlsAvailable() || tlsProtocol != null) {
            finish(c, "BAD STARTTLS not available");
            return;
        }
        line(c.tag() + " OK begin TLS negotiation now");
        transport.flush();
        // RFC 9051 section 6.2.1: anything the client pipelined after STARTTLS in clear text is discarded
        framer.reset();
        pending = EMPTY;
        transport.startTls();
        done();
    }

    private void compress(ImapCommand.Compress c) {
        if (!config.compressionAvailable() || !"DEFLATE".equals(c.mechanism())) {
            finish(c, "NO unknown compression mechanism");
            return;
        }
        if (compressed) {
            finish(c, "NO [COMPRESSIONACTIVE] compression already active");
            return;
        }
        line(c.tag() + " OK DEFLATE active");
        transport.flush();
        compressed = true;
        transport.startCompression();
        done();
    }

    private void enable(ImapCommand.Enable c) {
        List<String> now = new ArrayList<>();
        for (String cap : c.capabilities()) {
            String name = switch (cap) {
                case "IMAP4REV2" -> "IMAP4rev2";
                case "CONDSTORE" -> "CONDSTORE";
                case "QRESYNC" -> "QRESYNC";
                case "UTF8=ACCEPT" -> "UTF8=ACCEPT";
                default -> null;
            };
            if (name != null && markEnabled(name)) {
                now.add(name);
            }
            if ("QRESYNC".equals(name)) {
                markEnabled("CONDSTORE");
            }
        }
        line("* ENABLED" + (now.isEmpty() ? "" : " " + String.join(" ", now)));
        finish(c, "OK ENABLE completed");
    }

    /** @return whether {@code extension} was not enabled before */
    private boolean markEnabled(String extension) {
        if (enabled.contains(extension)) {
            return false;
        }
        if (enabled.isEmpty()) {
            enabled = new HashSet<>(4);
        }
        return enabled.add(extension);
    }

    private boolean utf8() {
        return enabled.contains("IMAP4rev2") || enabled.contains("UTF8=ACCEPT");
    }

    private boolean rev2() {
        return enabled.contains("IMAP4rev2");
    }

    private boolean condstore() {
        return enabled.contains("CONDSTORE");
    }

    private boolean qresync() {
        return enabled.contains("QRESYNC");
    }

    private boolean authAllowed() {
        return tlsProtocol != null || config.allowPlaintextAuth();
    }

    /** What CAPABILITY lists: only what works. */
    public String capabilities() {
        List<String> caps = new ArrayList<>(List.of("IMAP4rev1", "IMAP4rev2", "LITERAL+", "SASL-IR", "ID", "ENABLE", "IDLE",
            "NAMESPACE", "UNSELECT", "UIDPLUS", "MOVE", "CHILDREN", "LIST-EXTENDED", "LIST-STATUS", "SPECIAL-USE",
            "CREATE-SPECIAL-USE", "STATUS=SIZE", "ESEARCH", "SEARCHRES", "CONDSTORE", "QRESYNC", "QUOTA",
            "QUOTA=RES-STORAGE", "APPENDLIMIT=" + config.maxLiteralSize(), "MULTIAPPEND", "BINARY", "UTF8=ACCEPT", "OBJECTID", "SAVEDATE",
            "WITHIN", "SORT", "THREAD=ORDEREDSUBJECT", "THREAD=REFERENCES", "ACL", "RIGHTS=texk"));
        if (config.compressionAvailable() && !compressed) {
            caps.add("COMPRESS=DEFLATE");
        }
        if (state == ImapState.NOT_AUTHENTICATED) {
            if (config.startTlsAvailable() && tlsProtocol == null) {
                caps.add("STARTTLS");
            }
            if (authAllowed()) {
                caps.add("AUTH=PLAIN");
                caps.add("AUTH=LOGIN");
            } else {
                caps.add("LOGINDISABLED");
            }
        }
        return String.join(" ", caps);
    }

    // ---------------------------------------------------------------- authentication

    private void login(ImapCommand.Login c) {
        if (!authAllowed()) {
            finish(c, "NO [PRIVACYREQUIRED] LOGIN is disabled until STARTTLS");
            return;
        }
        checkCredentials(c, null, c.user(), c.password());
    }

    private void authenticate(ImapCommand.Authenticate c) {
        if (!authAllowed()) {
            finish(c, "NO [PRIVACYREQUIRED] authentication is disabled until STARTTLS");
            return;
        }
        switch (c.mechanism()) {
            case "PLAIN" -> {
                if (c.initialResponse() != null) {
                    plain(c, c.initialResponse());
                } else {
                    challenge("", response -> plain(c, response));
                }
            }
            case "LOGIN" -> {
                Consumer<String> askPassword = userB64 -> {
                    String name = decodeSasl(c, userB64);
                    if (name != null) {
                        challenge("Password:", passB64 -> {
                            String password = decodeSasl(c, passB64);
                            if (password != null) {
                                checkCredentials(c, null, name, password);
                            }
                        });
                    }
                };
                if (c.initialResponse() != null) {
                    askPassword.accept(c.initialResponse());
                } else {
                    challenge("Username:", askPassword);
                }
            }
            default -> finish(c, "NO unsupported authentication mechanism");
        }
    }

    /** Sends a SASL challenge; the next line the client sends goes to {@code step}. */
    private void challenge(String text, Consumer<String> step) {
        line("+ " + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII)));
        transport.flush();
        saslStep = step;
        // the command stays current, but input must flow: handle() routes the next line to saslStep
        busy = false;
        if (inputPaused) {
            inputPaused = false;
            transport.resumeInput();
        }
    }

    /** Decodes one SASL response; answers the command itself when it is a cancel or not base64. */
    private String decodeSasl(ImapCommand c, String response) {
        busy = true;
        if (response.equals("*")) {
            finish(c, "BAD authentication cancelled");
            return null;
        }
        try {
            return new String(Base64.getDecoder().decode(response), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            finish(c, "BAD invalid base64 in SASL response");
            return null;
        }
    }

    private void plain(ImapCommand c, String response) {
        String decoded = decodeSasl(c, response);
        if (decoded == null) {
            return;
        }
        String[] parts = decoded.split("\u0000", -1);
        if (parts.length != 3) {
            finish(c, "BAD malformed PLAIN response");
            return;
        }
        checkCredentials(c, parts[0].isEmpty() ? null : parts[0], parts[1], parts[2]);
    }

    private void checkCredentials(ImapCommand c, String authzid, String authcid, String password) {
        call((l, s) -> l.authenticate(s, authzid, authcid, password), (account, f) -> {
            if (f != null) {
                finish(c, failure(f, false));
            } else if (account == null) {
                authenticationFailed(c);
            } else if (!userLimiter.tryAcquire(account)) {
                finish(c, "NO [LIMIT] too many connections for this user");
            } else {
                user = account;
                state = ImapState.AUTHENTICATED;
                transport.authenticated();
                finish(c, "OK [CAPABILITY " + capabilities() + "] authenticated");
            }
        });
    }

    /** Throttled: the answer leaves after a delay that doubles with each failure; input stays paused meanwhile. */
    private void authenticationFailed(ImapCommand c) {
        authFailures++;
        busy = true;
        long delay = config.authFailureDelayMillis() << Math.min(authFailures - 1, 5);
        transport.schedule(delay, () -> {
            if (closed) {
                return;
            }
            if (authFailures >= config.maxAuthFailures()) {
                line(c.tag() + " NO [AUTHENTICATIONFAILED] invalid credentials");
                bye("too many authentication failures");
                return;
            }
            finish(c, "NO [AUTHENTICATIONFAILED] invalid credentials");
        });
    }

    // ---------------------------------------------------------------- mailboxes

    private void select(ImapCommand.Select c) {
        if (c.qresync() != null && !qresync()) {
            finish(c, "BAD QRESYNC is not enabled");
            return;
        }
        if (c.condstore()) {
            markEnabled("CONDSTORE");
        }
        boolean hadMailbox = selected != null;
        closeMailbox();
        state = ImapState.AUTHENTICATED;
        if (hadMailbox && qresync()) {
            line("* OK [CLOSED] previous mailbox closed");
        }
        call((l, s) -> {
            MailboxSnapshot snapshot = l.select(s, c.mailbox(), c.readOnly());
            return new Opened(snapshot, rightsOn(l, s, c.mailbox()));
        }, (opened, f) -> {
            if (f != null) {
                finish(c, failure(f, false));
                return;
            }
            opened(c, opened.snapshot(), opened.rights());
        });
    }

    private record Opened(MailboxSnapshot snapshot, MailboxRights rights) {
    }

    /**
     * The user's rights on a mailbox just selected: every right on a personal one (the owner always has them),
     * else what MYRIGHTS says. Runs on the worker thread.
     */
    private static MailboxRights rightsOn(ImapListener l, SessionInfo s, String mailbox) {
        if (!mailbox.startsWith(Namespaces.OTHER_USERS) && !mailbox.startsWith(Namespaces.SHARED)) {
            return MailboxRights.ALL;
        }
        try {
            return MailboxRights.parse(l.myRights(s, mailbox));
        } catch (MailAccessException | IllegalArgumentException e) {
            return MailboxRights.parse("lr"); // changed meanwhile: the next command meets the server's check
        }
    }

    private void opened(ImapCommand.Select c, MailboxSnapshot snapshot, MailboxRights rights) {
        MailboxStatus st = snapshot.status();
        boolean readOnly = c.readOnly() || snapshot.readOnly();
        SelectedMailbox mailbox = new SelectedMailbox(st.id(), st.name(), st.uidValidity(), readOnly, snapshot.uids(),
            st.uidNext(), st.highestModseq(), snapshot.keywordsInUse());
        selected = mailbox;
        selectedRights = rights;
        mailbox.rights(rights);
        state = ImapState.SELECTED;
        savedSearch = NO_UIDS;
        announced = 0;
        LongConsumer listener = modseq -> {
            try {
                transport.execute(() -> mailboxChanged(mailbox, modseq));
            } catch (RejectedExecutionException e) {
                // connection gone; disconnected() unsubscribes
            }
        };
        changeListener = listener;
        MailboxChangeBus.subscribe(mailbox.id(), listener);
        String flags = String.join(" ", mailbox.flagsList());
        line("* FLAGS (" + flags + ")");
        line("* " + mailbox.exists() + " EXISTS");
        if (!rev2()) {
            line("* 0 RECENT");
            int unseen = snapshot.firstUnseenUid() > 0 ? mailbox.msnOf(snapshot.firstUnseenUid()) : 0;
            if (unseen > 0) {
                line("* OK [UNSEEN " + unseen + "] first unseen");
            }
        }
        line("* OK [UIDVALIDITY " + st.uidValidity() + "] UIDs valid");
        line("* OK [UIDNEXT " + st.uidNext() + "] predicted next UID");
        line("* OK [PERMANENTFLAGS (" + (readOnly ? "" : permanentFlags(mailbox.flagsList(), rights)) + ")] "
            + (readOnly ? "read-only" : "flags permitted"));
        line("* OK [HIGHESTMODSEQ " + st.highestModseq() + "] highest modseq");
        line("* OK [MAILBOXID (" + st.id() + ")] mailbox id");
        String done = "OK [" + (readOnly ? "READ-ONLY" : "READ-WRITE") + "] " + c.name() + " completed";
        ImapCommand.Qresync q = c.qresync();
        if (q == null || q.uidValidity() != st.uidValidity()) {
            finish(c, done);
            return;
        }
        call((l, s) -> l.changesSince(s, mailbox.id(), q.modseq()), (changes, f) -> {
            if (f != null) {
                finish(c, failure(f, false));
                return;
            }
            long[][] known = q.knownUids() == null ? null : q.knownUids().resolve(mailbox.largestUid());
            long[] vanished = Arrays.stream(changes.expunged())
                .filter(u -> known == null || SequenceSet.contains(known, u)).toArray();
            if (vanished.length > 0) {
                line("* VANISHED (EARLIER) " + SequenceSet.format(vanished));
            }
            for (MessageFlags m : changes.changed()) {
                int msn = mailbox.msnOf(m.uid());
                if (msn > 0) {
                    line("* " + msn + " FETCH (UID " + m.uid() + " FLAGS (" + String.join(" ", m.flags()) + ") MODSEQ ("
                        + m.modseq() + "))");
                    mailbox.reported(m);
                }
            }
            finish(c, done);
        });
    }

    /** A change published on the bus (already on the session thread). */
    private void mailboxChanged(SelectedMailbox mailbox, long modseq) {
        if (closed || mailbox != selected || modseq <= mailbox.highestModseq()) {
            return;
        }
        announced = Math.max(announced, modseq);
        if (idling != null) {
            poll(null);
        }
    }

    private void idle(ImapCommand.Simple c) {
        line("+ idling");
        transport.flush();
        idling = c;
        busy = false;
        if (inputPaused) {
            inputPaused = false;
            transport.resumeInput();
        }
        if (selected != null) {
            for (String update : selected.drain(true, qresync(), condstore())) {
                line(update);
            }
            transport.flush();
            poll(null);
        }
    }

    private void idleLine(RawCommand raw) {
        ImapCommand.Simple c = idling;
        idling = null;
        current = c;
        busy = true;
        String text = new String(raw.lines().get(0), StandardCharsets.ISO_8859_1).strip();
        raw.discard();
        finish(c, text.equalsIgnoreCase("DONE") ? "OK IDLE terminated" : "BAD expected DONE");
    }

    private void closeMailbox() {
        if (selected != null && changeListener != null) {
            MailboxChangeBus.unsubscribe(selected.id(), changeListener);
        }
        selected = null;
        selectedRights = MailboxRights.ALL;
        changeListener = null;
        announced = 0;
        savedSearch = NO_UIDS;
    }

    private void closeCommand(ImapCommand.Simple c) {
        SelectedMailbox mailbox = selected;
        if (mailbox.readOnly() || !selectedRights.has('e')) {
            // RFC 4314 section 4: without "e" CLOSE closes without expunging and still succeeds
            closeMailbox();
            state = ImapState.AUTHENTICATED;
            finish(c, "OK CLOSE completed");
            return;
        }
        call((l, s) -> l.expunge(s, mailbox.id(), null), (r, f) -> {
            closeMailbox();
            state = ImapState.AUTHENTICATED;
            finish(c, f == null ? "OK CLOSE completed" : failure(f, false));
        });
    }

    private void list(ImapCommand.ListMailboxes c) {
        if (!c.lsub() && c.selection().isEmpty() && c.patterns().size() == 1 && c.patterns().get(0).isEmpty()) {
            line("* LIST (\\Noselect) \"/\" \"\"");
            finish(c, "OK LIST completed");
            return;
        }
        for (String item : c.statusItems()) {
            if (!STATUS_ITEMS.contains(item)) {
                finish(c, "BAD unknown STATUS item " + item);
                return;
            }
        }
        boolean utf8 = utf8();
        call((l, s) -> {
            List<MailboxInfo> all = l.listMailboxes(s);
            List<MailboxLister.Entry> entries = MailboxLister.list(all, c);
            List<byte[]> lines = new ArrayList<>();
            for (MailboxLister.Entry e : entries) {
                lines.add(MailboxLister.render(e, c, utf8));
                if (!c.statusItems().isEmpty() && e.info() != null) {
                    try {
                        MailboxStatus st = l.status(s, e.info().name());
                        lines.add(new ResponseBuilder(utf8).raw("* STATUS ").mailbox(st.name()).raw(" ("
                            + statusItems(st, c.statusItems()) + ")").crlf().toBytes());
                    } catch (org.merpati.connector.api.access.MailAccessException ignored) {
                        // gone meanwhile: no STATUS for it
                    }
                }
            }
            return lines;
        }, (lines, f) -> {
            if (f != null) {
                finish(c, failure(f, false));
                return;
            }
            lines.forEach(transport::write);
            finish(c, "OK " + c.name() + " completed");
        });
    }

    private void status(ImapCommand.Status c) {
        for (String item : c.items()) {
            if (!STATUS_ITEMS.contains(item)) {
                finish(c, "BAD unknown STATUS item " + item);
                return;
            }
        }
        call((l, s) -> l.status(s, c.mailbox()), (st, f) -> {
            if (f != null) {
                finish(c, failure(f, false));
                return;
            }
            transport.write(new ResponseBuilder(utf8()).raw("* STATUS ").mailbox(c.mailbox()).raw(" ("
                + statusItems(st, c.items()) + ")").crlf().toBytes());
            finish(c, "OK STATUS completed");
        });
    }

    /** NAMESPACE (RFC 2342): personal, other users, shared (the public folders of the user's domain). */
    private static String namespaces() {
        return "((\"" + Namespaces.PERSONAL + "\" \"/\")) ((\"" + Namespaces.OTHER_USERS + "\" \"/\")) ((\""
            + Namespaces.SHARED + "\" \"/\"))";
    }

    /** PERMANENTFLAGS: the flags the rights let the user change (RFC 4314 section 5.1.1), \* with "w". */
    static String permanentFlags(List<String> flags, MailboxRights rights) {
        List<String> out = new ArrayList<>();
        for (String flag : flags) {
            boolean allowed = switch (flag) {
                case "\\Seen" -> rights.has('s');
                case "\\Deleted" -> rights.has('t');
                default -> rights.has('w');
            };
            if (allowed) {
                out.add(flag);
            }
        }
        if (rights.has('w')) {
            out.add("\\*");
        }
        return String.join(" ", out);
    }

    private void getAcl(ImapCommand.GetAcl c) {
        boolean utf8 = utf8();
        call((l, s) -> l.getAcl(s, c.mailbox()), (entries, f) -> {
            if (f != null) {
                finish(c, failure(f, false));
                return;
            }
            ResponseBuilder b = new ResponseBuilder(utf8).raw("* ACL ").mailbox(c.mailbox());
            for (AclEntry e : entries) {
                b.sp().astring(e.identifier()).sp().astring(e.rights());
            }
            transport.write(b.crlf().toBytes());
            finish(c, "OK GETACL completed");
        });
    }

    private void listRights(ImapCommand.ListRights c) {
        boolean utf8 = utf8();
        call((l, s) -> l.listRights(s, c.mailbox(), c.identifier()), (RightsList r, Throwable f) -> {
            if (f != null) {
                finish(c, failure(f, false));
                return;
            }
            // the identifier exactly as the client gave it (RFC 4314 section 3.4)
            ResponseBuilder b = new ResponseBuilder(utf8).raw("* LISTRIGHTS ").mailbox(c.mailbox()).sp()
                .astring(c.identifier()).sp().astring(r.required());
            r.optional().forEach(o -> b.sp().astring(o));
            transport.write(b.crlf().toBytes());
            finish(c, "OK LISTRIGHTS completed");
        });
    }

    private void myRights(ImapCommand.MyRights c) {
        boolean utf8 = utf8();
        call((l, s) -> l.myRights(s, c.mailbox()), (rights, f) -> {
            if (f != null) {
                finish(c, failure(f, false));
                return;
            }
            transport.write(new ResponseBuilder(utf8).raw("* MYRIGHTS ").mailbox(c.mailbox()).sp().astring(rights)
                .crlf().toBytes());
            finish(c, "OK MYRIGHTS completed");
        });
    }

    private String statusItems(MailboxStatus st, List<String> items) {
        List<String> out = new ArrayList<>();
        for (String item : items) {
            long value = switch (item) {
                case "MESSAGES" -> st.messages();
                case "UIDNEXT" -> st.uidNext();
                case "UIDVALIDITY" -> st.uidValidity();
                case "UNSEEN" -> st.unseen();
                case "DELETED" -> st.deleted();
                case "SIZE" -> st.sizeBytes();
                case "HIGHESTMODSEQ" -> st.highestModseq();
                case "APPENDLIMIT" -> config.maxLiteralSize();
                case "RECENT" -> 0;
                default -> -1;
            };
            out.add(item.equals("MAILBOXID") ? "MAILBOXID (" + st.id() + ")" : item + " " + value);
        }
        return String.join(" ", out);
    }

    private void create(ImapCommand.Create c) {
        String name = c.mailbox();
        while (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty() || name.contains("//")) {
            finish(c, "BAD invalid mailbox name");
            return;
        }
        if (name.equals("INBOX")) {
            finish(c, "NO [ALREADYEXISTS] INBOX always exists");
            return;
        }
        String use = null;
        if (c.specialUse() != null) {
            use = SPECIAL_USES.stream().filter(u -> u.equalsIgnoreCase(c.specialUse())).findFirst().orElse(null);
            if (use == null) {
                finish(c, "NO [USEATTR] unknown special use " + ImapResponses.clean(c.specialUse()));
                return;
            }
        }
        String mailbox = name;
        String specialUse = use;
        call((l, s) -> l.createMailbox(s, mailbox, specialUse), (info, f) ->
            finish(c, f == null ? "OK CREATE completed" : failure(f, false)));
    }

    /**
     * GETQUOTA and GETQUOTAROOT. Roots: {@code ""} (the account's own) and {@link Namespaces#SHARED_ROOT} (the
     * domain's public folders); a root without a limit is not reported, as if it did not exist.
     */
    private void quota(ImapCommand c, String root, String mailbox) {
        if (root != null && !root.isEmpty() && !root.equals(Namespaces.SHARED_ROOT)) {
            finish(c, "NO [NONEXISTENT] no such quota root");
            return;
        }
        boolean utf8 = utf8();
        call((l, s) -> mailbox != null ? l.quotaOf(s, mailbox) : l.quota(s, root), (q, f) -> {
            if (f != null) {
                finish(c, failure(f, false));
                return;
            }
            boolean limited = q.limitBytes() > 0 && q.root() != null;
            String rootName = "\"" + (q.root() == null ? "" : q.root()) + "\"";
            if (mailbox != null) {
                transport.write(new ResponseBuilder(utf8).raw("* QUOTAROOT ").mailbox(mailbox)
                    .raw(limited ? " " + rootName : "").crlf().toBytes());
            }
            if (limited) {
                line("* QUOTA " + rootName + " (STORAGE " + kib(q.usedBytes()) + " " + kib(q.limitBytes()) + ")");
            } else if (mailbox == null) {
                finish(c, "NO [NONEXISTENT] no quota");
                return;
            }
            finish(c, "OK " + c.name() + " completed");
        });
    }

    private static long kib(long bytes) {
        return (bytes + 1023) / 1024;
    }

    // ---------------------------------------------------------------- messages

    /** UIDs a sequence set names in the selected mailbox. */
    private long[] resolve(SequenceSet set, boolean uid) {
        if (set.saved()) {
            return Arrays.stream(savedSearch).filter(u -> selected.msnOf(u) > 0).toArray();
        }
        return uid ? selected.resolveUids(set) : selected.resolveMsns(set);
    }

    private SearchKey searchResolver(SequenceSet set, boolean uid) throws ImapSyntaxException {
        if (selected == null) {
            throw new ImapSyntaxException("no mailbox selected");
        }
        if (set.saved()) {
            return uidKey(savedSearch);
        }
        return uid ? new SearchKey.Uids(selected.uidRanges(set)) : uidKey(selected.resolveMsns(set));
    }

    private static SearchKey uidKey(long[] sortedUids) {
        List<long[]> ranges = new ArrayList<>();
        for (long u : sortedUids) {
            if (!ranges.isEmpty() && ranges.get(ranges.size() - 1)[1] == u - 1) {
                ranges.get(ranges.size() - 1)[1] = u;
            } else {
                ranges.add(new long[] {u, u});
            }
        }
        return new SearchKey.Uids(ranges.toArray(new long[0][]));
    }

    private record FetchBatch(List<ResponsePiece> pieces, List<MessageFlags> seenChanges) {
    }

    private void fetch(ImapCommand.Fetch c) {
        SelectedMailbox mailbox = selected;
        long[] uids = resolve(c.set(), c.uid());
        if (c.changedSince() >= 0 || c.attributes().contains(FetchAttribute.Simple.MODSEQ)) {
            markEnabled("CONDSTORE");
        }
        // RFC 4314 section 4: without "s" a FETCH must not set \Seen
        boolean seen = !mailbox.readOnly() && selectedRights.has('s')
            && c.attributes().stream().anyMatch(FetchAttribute::setsSeen);
        boolean structure = c.attributes().stream().anyMatch(FetchAttribute::needsStructure);
        FetchRenderer renderer = new FetchRenderer(utf8(), c.uid(), c.changedSince() >= 0);
        if (c.vanished()) {
            long[][] ranges = mailbox.uidRanges(c.set());
            call((l, s) -> l.changesSince(s, mailbox.id(), c.changedSince()), (changes, f) -> {
                if (f != null) {
                    finish(c, failure(f, false));
                    return;
                }
                long[] gone = Arrays.stream(changes.expunged()).filter(u -> SequenceSet.contains(ranges, u)).toArray();
                if (gone.length > 0) {
                    line("* VANISHED (EARLIER) " + SequenceSet.format(gone));
                }
                fetchBatch(c, mailbox, uids, 0, renderer, seen, structure);
            });
            return;
        }
        fetchBatch(c, mailbox, uids, 0, renderer, seen, structure);
    }

    /** Fetches and writes one batch, then waits until it has left before the next (backpressure). */
    private void fetchBatch(ImapCommand.Fetch c, SelectedMailbox mailbox, long[] uids, int from, FetchRenderer renderer,
                            boolean seen, boolean structure) {
        if (from >= uids.length) {
            finish(c, "OK " + c.name() + " completed");
            return;
        }
        long[] batch = Arrays.copyOfRange(uids, from, Math.min(uids.length, from + Math.max(1, config.fetchBatchSize())));
        Map<Long, Integer> msns = new HashMap<>();
        for (long uid : batch) {
            msns.put(uid, mailbox.msnOf(uid));
        }
        call((l, s) -> {
            List<MessageFlags> seenChanges = List.of();
            Set<Long> flagged = new HashSet<>();
            if (seen) {
                StoreResult r = l.store(s, mailbox.id(), batch, FlagOperation.ADD, Set.of("\\Seen"), -1);
                seenChanges = r.changed();
                r.changed().forEach(m -> flagged.add(m.uid()));
            }
            List<ResponsePiece> pieces = new ArrayList<>();
            for (MessageData m : l.fetch(s, mailbox.id(), batch, structure)) {
                Integer msn = msns.get(m.uid());
                if (msn == null || msn == 0 || (c.changedSince() >= 0 && m.modseq() <= c.changedSince())) {
                    continue;
                }
                pieces.addAll(renderer.render(msn, m, c.attributes(), flagged.contains(m.uid())));
            }
            return new FetchBatch(pieces, seenChanges);
        }, (result, f) -> {
            if (f != null) {
                finish(c, f instanceof FetchRenderer.UnknownCteException
                    ? "NO [UNKNOWN-CTE] " + ImapResponses.clean(f.getMessage()) : failure(f, false));
                return;
            }
            result.seenChanges().forEach(mailbox::reported);
            ResponsePiece.writeAll(result.pieces(), transport);
            busy = true;
            transport.flush(() -> {
                if (!closed) {
                    fetchBatch(c, mailbox, uids, from + batch.length, renderer, seen, structure);
                }
            });
        });
    }

    private void store(ImapCommand.Store c) {
        SelectedMailbox mailbox = selected;
        if (mailbox.readOnly()) {
            finish(c, "NO mailbox is read-only");
            return;
        }
        if (c.unchangedSince() >= 0) {
            markEnabled("CONDSTORE");
        }
        long[] uids = resolve(c.set(), c.uid());
        if (uids.length == 0) {
            finish(c, "OK STORE completed");
            return;
        }
        call((l, s) -> l.store(s, mailbox.id(), uids, c.operation(), c.flags(), c.unchangedSince()), (r, f) -> {
            if (f != null) {
                finish(c, failure(f, false));
                return;
            }
            for (MessageFlags m : r.changed()) {
                mailbox.reported(m);
                int msn = mailbox.msnOf(m.uid());
                if (!c.silent() && msn > 0) {
                    line("* " + msn + " FETCH (FLAGS (" + String.join(" ", m.flags()) + ")" + (c.uid() ? " UID " + m.uid() : "")
                        + (condstore() ? " MODSEQ (" + m.modseq() + ")" : "") + ")");
                }
            }
            if (!r.changed().isEmpty() && mailbox == selected) {
                mailbox.ownChange(r.changed().get(0).modseq()); // one MODSEQ for the whole STORE
            }
            if (r.modified().length > 0) {
                long[] ids = c.uid() ? r.modified()
                    : Arrays.stream(r.modified()).map(mailbox::msnOf).filter(n -> n > 0).sorted().toArray();
                finish(c, "OK [MODIFIED " + SequenceSet.format(SequenceSet.sortedDistinct(ids)) + "] conditional STORE failed");
                return;
            }
            finish(c, "OK STORE completed");
        });
    }

    private static boolean usesModseq(SearchKey key) {
        if (key instanceof SearchKey.ModSeq) {
            return true;
        } else if (key instanceof SearchKey.And and) {
            return and.keys().stream().anyMatch(ImapSession::usesModseq);
        } else if (key instanceof SearchKey.Or or) {
            return usesModseq(or.left()) || usesModseq(or.right());
        } else if (key instanceof SearchKey.Not not) {
            return usesModseq(not.key());
        }
        return false;
    }

    private record SearchResult(long[] uids, long highestModseq) {
    }

    private void search(ImapCommand.Search c) {
        SelectedMailbox mailbox = selected;
        boolean modseq = usesModseq(c.key());
        if (modseq) {
            markEnabled("CONDSTORE");
        }
        call((l, s) -> {
            long[] uids = l.search(s, mailbox.id(), c.key());
            long max = 0;
            if (modseq && uids.length > 0) {
                for (MessageData m : l.fetch(s, mailbox.id(), uids, false)) {
                    max = Math.max(max, m.modseq());
                }
            }
            return new SearchResult(uids, max);
        }, (result, f) -> {
            if (f != null) {
                if (c.returnOptions() != null && c.returnOptions().contains("SAVE")) {
                    savedSearch = NO_UIDS;
                }
                finish(c, failure(f, false));
                return;
            }
            // only messages the client knows of: new ones are announced with EXISTS first
            long[] uids = Arrays.stream(result.uids()).filter(u -> mailbox.msnOf(u) > 0).toArray();
            long[] numbers = c.uid() ? uids : Arrays.stream(uids).map(mailbox::msnOf).toArray();
            searchResponse(c, c.returnOptions(), uids, numbers, result.highestModseq(), modseq);
            finish(c, "OK " + c.name() + " completed");
        });
    }

    /** SEARCH or ESEARCH (RFC 4731; always ESEARCH for IMAP4rev2 clients) and SAVE (RFC 5182). */
    private void searchResponse(ImapCommand c, Set<String> returnOptions, long[] uids, long[] numbers, long highestModseq,
                                boolean modseq) {
        boolean uid = c.name().startsWith("UID ");
        if (returnOptions == null && !rev2()) {
            StringBuilder sb = new StringBuilder(c instanceof ImapCommand.Sort ? "* SORT" : "* SEARCH");
            for (long n : numbers) {
                sb.append(' ').append(n);
            }
            if (modseq && numbers.length > 0) {
                sb.append(" (MODSEQ ").append(highestModseq).append(')');
            }
            line(sb.toString());
            return;
        }
        Set<String> options = returnOptions == null ? Set.of("ALL") : returnOptions;
        if (options.contains("SAVE")) {
            boolean minMaxOnly = !options.contains("ALL") && !options.contains("COUNT")
                && (options.contains("MIN") || options.contains("MAX"));
            if (minMaxOnly && uids.length > 0) {
                TreeSet<Long> keep = new TreeSet<>();
                if (options.contains("MIN")) {
                    keep.add(uids[0]);
                }
                if (options.contains("MAX")) {
                    keep.add(uids[uids.length - 1]);
                }
                savedSearch = keep.stream().mapToLong(Long::longValue).toArray();
            } else {
                savedSearch = uids.clone();
            }
            if (options.size() == 1) {
                return; // SAVE alone: no ESEARCH response
            }
        }
        long[] sorted = SequenceSet.sortedDistinct(numbers);
        StringBuilder sb = new StringBuilder("* ESEARCH (TAG ");
        sb.append(new String(new ResponseBuilder(false).string(c.tag()).toBytes(), StandardCharsets.US_ASCII)).append(')');
        if (uid) {
            sb.append(" UID");
        }
        if (options.contains("MIN") && sorted.length > 0) {
            sb.append(" MIN ").append(sorted[0]);
        }
        if (options.contains("MAX") && sorted.length > 0) {
            sb.append(" MAX ").append(sorted[sorted.length - 1]);
        }
        if (options.contains("COUNT")) {
            sb.append(" COUNT ").append(sorted.length);
        }
        if (options.contains("ALL") && sorted.length > 0) {
            if (c instanceof ImapCommand.Sort) {
                // sorted order matters: a plain list, not a set
                sb.append(" ALL ").append(String.join(",", Arrays.stream(numbers).mapToObj(Long::toString).toList()));
            } else {
                sb.append(" ALL ").append(SequenceSet.format(sorted));
            }
        }
        if (modseq && sorted.length > 0) {
            sb.append(" MODSEQ ").append(highestModseq);
        }
        line(sb.toString());
    }

    private void sort(ImapCommand.Sort c) {
        SelectedMailbox mailbox = selected;
        call((l, s) -> {
            long[] uids = l.search(s, mailbox.id(), c.key());
            List<MessageData> data = uids.length == 0 ? List.of() : l.fetch(s, mailbox.id(), uids, true);
            return MessageOrdering.sort(data, c.criteria());
        }, (sorted, f) -> {
            if (f != null) {
                finish(c, failure(f, false));
                return;
            }
            long[] uids = Arrays.stream(sorted).filter(u -> mailbox.msnOf(u) > 0).toArray();
            long[] numbers = c.uid() ? uids : Arrays.stream(uids).map(mailbox::msnOf).toArray();
            searchResponse(c, c.returnOptions(), uids, numbers, 0, false);
            finish(c, "OK " + c.name() + " completed");
        });
    }

    private void thread(ImapCommand.Thread c) {
        SelectedMailbox mailbox = selected;
        call((l, s) -> {
            long[] uids = l.search(s, mailbox.id(), c.key());
            List<MessageData> data = uids.length == 0 ? List.of() : l.fetch(s, mailbox.id(), uids, true);
            return c.algorithm().equals("REFERENCES") ? MessageOrdering.threadByReferences(data)
                : MessageOrdering.threadByOrderedSubject(data);
        }, (threads, f) -> {
            if (f != null) {
                finish(c, failure(f, false));
                return;
            }
            line("* THREAD" + (threads.isEmpty() ? "" : " ")
                + MessageOrdering.render(threads, u -> c.uid() ? u : mailbox.msnOf(u)));
            finish(c, "OK " + c.name() + " completed");
        });
    }

    private void copy(ImapCommand.Copy c) {
        SelectedMailbox mailbox = selected;
        long[] uids = resolve(c.set(), c.uid());
        if (c.move() && mailbox.readOnly()) {
            finish(c, "NO mailbox is read-only");
            return;
        }
        if (uids.length == 0) {
            finish(c, "OK " + c.name() + " completed (no messages)");
            return;
        }
        call((l, s) -> l.copy(s, mailbox.id(), uids, c.mailbox(), c.move()), (r, f) -> {
            if (f != null) {
                finish(c, failure(f, true));
                return;
            }
            String code = r.sourceUids().length == 0 ? ""
                : "[COPYUID " + r.targetUidValidity() + " " + SequenceSet.format(r.sourceUids()) + " "
                    + SequenceSet.format(r.targetUids()) + "] ";
            if (r.targetMailboxId() == mailbox.id()) {
                for (long uid : r.targetUids()) {
                    mailbox.added(uid);
                }
            }
            if (!c.move()) {
                finish(c, "OK " + code + "COPY completed");
                return;
            }
            if (!code.isEmpty()) {
                line("* OK " + code.strip());
            }
            expungedResponses(mailbox, r.sourceUids());
            finish(c, "OK " + c.name() + " completed");
        });
    }

    private void expunge(ImapCommand c, long[] uids) {
        SelectedMailbox mailbox = selected;
        if (mailbox.readOnly()) {
            finish(c, "NO mailbox is read-only");
            return;
        }
        if (uids != null && uids.length == 0) {
            finish(c, "OK " + c.name() + " completed");
            return;
        }
        call((l, s) -> l.expunge(s, mailbox.id(), uids), (gone, f) -> {
            if (f != null) {
                finish(c, failure(f, false));
                return;
            }
            expungedResponses(mailbox, gone);
            finish(c, "OK " + c.name() + " completed");
        });
    }

    private void expungedResponses(SelectedMailbox mailbox, long[] uids) {
        long[] known = Arrays.stream(uids).filter(u -> mailbox.msnOf(u) > 0).sorted().toArray();
        int[] msns = mailbox.expunged(known);
        if (known.length == 0) {
            return;
        }
        if (qresync()) {
            line("* VANISHED " + SequenceSet.format(known));
        } else {
            for (int msn : msns) {
                line("* " + msn + " EXPUNGE");
            }
        }
        long[] kept = Arrays.stream(savedSearch).filter(u -> Arrays.binarySearch(known, u) < 0).toArray();
        savedSearch = kept;
    }

    /**
     * APPEND, and MULTIAPPEND (RFC 3502) when several messages follow the mailbox name: every message was
     * spooled to its own file as it arrived; one endpoint call stores them all or none. The spool files are
     * deleted whatever happens.
     */
    private void append(ImapCommand.Append c) {
        List<AppendRequest> requests = new ArrayList<>(c.messages().size());
        List<SpoolFile> spools = new ArrayList<>(c.messages().size());
        for (ImapCommand.AppendMessage message : c.messages()) {
            if (message.content().spool() != null) {
                spools.add(message.content().spool());
            }
        }
        String refusal = null;
        for (ImapCommand.AppendMessage message : c.messages()) {
            SpoolFile spool = message.content().spool();
            if (spool == null) {
                refusal = "BAD message literal missing";
            } else if (message.flags().stream().anyMatch(f -> f.equalsIgnoreCase("\\Recent"))) {
                refusal = "BAD \\Recent cannot be set";
            } else if (!spool.finish()) {
                refusal = "NO [UNAVAILABLE] cannot store the message now";
            }
            if (refusal != null) {
                break;
            }
            requests.add(new AppendRequest(spool.path(), spool.size(), new LinkedHashSet<>(message.flags()),
                message.internalDate()));
        }
        if (refusal != null) {
            spools.forEach(SpoolFile::delete);
            finish(c, refusal);
            return;
        }
        SelectedMailbox mailbox = selected;
        call((l, s) -> {
            try {
                if (requests.size() == 1) {
                    AppendRequest r = requests.get(0);
                    return List.of(l.append(s, c.mailbox(), r.spool(), r.size(), r.flags(), r.internalDate()));
                }
                return l.appendAll(s, c.mailbox(), requests);
            } finally {
                spools.forEach(SpoolFile::delete);
            }
        }, (List<AppendResult> results, Throwable f) -> {
            spools.forEach(SpoolFile::delete); // again, for a call the dispatcher refused before running it
            if (f != null) {
                finish(c, failure(f, true));
                return;
            }
            long[] uids = results.stream().mapToLong(AppendResult::uid).sorted().toArray();
            AppendResult first = results.get(0);
            if (mailbox != null && mailbox == selected && first.mailboxId() == mailbox.id()) {
                for (long uid : uids) {
                    mailbox.added(uid);
                }
                results.stream().mapToLong(AppendResult::modseq).filter(m -> m > 0).sorted()
                    .forEach(mailbox::ownChange);
            }
            finish(c, "OK [APPENDUID " + first.uidValidity() + " " + SequenceSet.format(uids) + "] APPEND completed");
        });
    }

    // ---------------------------------------------------------------- output

    private void line(String text) {
        if (!closed) {
            transport.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private void countError() {
        if (++errors >= config.maxErrors() && !closed) {
            bye("too many bad commands");
        }
    }

    private void bye(String text) {
        line("* BYE " + text);
        close();
    }

    private void close() {
        transport.flush();
        closed = true;
        closeMailbox();
        framer.reset();
        pending = EMPTY;
        transport.close();
    }

    /** What the endpoint learns about this connection. */
    public SessionInfo sessionInfo() {
        return new SessionInfo(connection.sessionId(), tlsProtocol != null ? "IMAPS" : "IMAP", connection.clientAddress(),
            connection.clientPort(), null, connection.localAddress(), connection.localPort(), tlsProtocol, tlsCipher, user);
    }

    @Override
    public String toString() {
        return "ImapSession[" + connection.sessionId() + " " + state + "]";
    }

    static Comparator<String> inboxFirst() {
        return Comparator.comparing((String n) -> !n.equals("INBOX")).thenComparing(Comparator.naturalOrder());
    }
}
