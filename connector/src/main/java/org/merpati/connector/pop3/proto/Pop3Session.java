package org.merpati.connector.pop3.proto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.merpati.connector.api.SessionInfo;
import org.merpati.connector.api.access.FlagOperation;
import org.merpati.connector.api.access.MailAccessException;
import org.merpati.connector.api.access.MailboxSnapshot;
import org.merpati.connector.api.access.MessageData;
import org.merpati.connector.api.access.Pop3Listener;
import org.merpati.connector.sasl.SaslException;
import org.merpati.connector.sasl.SaslResponses;
import org.merpati.connector.endpoint.EndpointDispatcher;
import org.merpati.connector.smtp.proto.CommandLineDecoder;
import org.merpati.connector.smtp.proto.ConnectionInfo;

/**
 * One POP3 conversation (RFC 1939): bytes in, replies, message streams and listener calls out.
 *
 * <p>The maildrop is the user's INBOX as it was at login; message numbers stay fixed for the session. DELE
 * only marks; QUIT in TRANSACTION enters UPDATE and applies the marks ({@code store +\Deleted}, then
 * {@code expunge} of exactly those UIDs). A connection that ends any other way (drop, idle timeout, too many
 * errors) applies nothing. RETR and TOP change no flags (no implicit {@code \Seen}): POP3 clients keep their
 * own state through UIDL, and leaving flags alone keeps IMAP's view of the mailbox untouched.
 *
 * <p>Threading: every method must be called on one thread at a time (the channel's event loop). Listener
 * calls go through the {@link EndpointDispatcher}; their results come back through {@code resumeExecutor}, which
 * runs them on that same thread. While a listener call, a message stream or a failed-login delay is pending the
 * session reads no further commands, so pipelined commands (RFC 2449 PIPELINING) run strictly in order.
 */
public final class Pop3Session {

    private static final Logger LOG = Logger.getLogger(Pop3Session.class.getName());
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final String INBOX = "INBOX";
    private static final List<String> MECHANISMS = List.of("PLAIN", "LOGIN");

    /** What the next input line is: a command, or a response inside an AUTH exchange. */
    private enum Mode { COMMAND, SASL_PLAIN, SASL_LOGIN_USER, SASL_LOGIN_PASSWORD }

    /** A listener call that may throw the contract's checked exception. */
    @FunctionalInterface
    private interface ListenerCall<T> {
        T apply(Pop3Listener listener) throws MailAccessException;
    }

    private final Pop3SessionConfig config;
    private final ConnectionInfo connection;
    private final Pop3Transport transport;
    private final EndpointDispatcher<? extends Pop3Listener> dispatcher;
    private final Executor resumeExecutor;
    private final CommandLineDecoder lineDecoder;

    private Pop3State state = Pop3State.AUTHORIZATION;
    private Mode mode = Mode.COMMAND;
    private ByteBuffer pending = EMPTY;
    private boolean suspended;
    private boolean streaming;
    private boolean processing;
    private boolean inputPaused;
    private boolean closed;
    private int errors;
    private int authFailures;
    private String tlsProtocol;
    private String tlsCipher;
    private String userName;
    private String saslUser;
    private String authenticatedUser;
    private String lockedAccount;
    private Maildrop maildrop;

    public Pop3Session(Pop3SessionConfig config, ConnectionInfo connection, Pop3Transport transport,
                       EndpointDispatcher<? extends Pop3Listener> dispatcher, Executor resumeExecutor) {
        this.config = config;
        this.connection = connection;
        this.transport = transport;
        this.dispatcher = dispatcher;
        this.resumeExecutor = resumeExecutor;
        this.lineDecoder = new CommandLineDecoder(config.maxLineLength());
    }

    // ---------------------------------------------------------------- events from the transport

    /** The connection is open (after the handshake, with implicit TLS): greet. No APOP timestamp: no APOP. */
    public void start() {
        transport.write(Pop3Reply.ok(config.serverName() + " POP3 Merpati ready").encode());
        transport.flush();
    }

    /** Bytes from the client. The session may keep the buffer until it has read it all. */
    public void receive(ByteBuffer data) {
        if (closed || !data.hasRemaining()) {
            return;
        }
        if (pending.hasRemaining() || !data.hasArray()) {
            ByteBuffer joined = ByteBuffer.allocate(pending.remaining() + data.remaining());
            joined.put(pending).put(data).flip();
            pending = joined;
        } else {
            pending = data;
        }
        if (!suspended) {
            process();
        }
    }

    /** The TLS handshake after STLS (or at connect, for implicit TLS) completed. */
    public void tlsStarted(String protocol, String cipher) {
        this.tlsProtocol = protocol;
        this.tlsCipher = cipher;
    }

    /**
     * Nothing happened for the idle timeout. Ignored while the listener works (the client waits on us); a
     * message stream that has not moved is cut off, since no reply can be written into its middle.
     */
    public void idle() {
        if (closed) {
            return;
        }
        if (streaming) {
            abort();
        } else if (!suspended) {
            closeWith(Pop3Reply.err("idle timeout, closing connection"));
        }
    }

    /** The listener is being stopped. */
    public void shutdown() {
        if (closed) {
            return;
        }
        if (streaming) {
            abort();
        } else {
            closeWith(Pop3Reply.err(Pop3ResponseCode.SYS_TEMP, config.serverName() + " POP3 service shutting down"));
        }
    }

    /** The connection is gone. Outside UPDATE nothing is applied and the maildrop lock is released now. */
    public void disconnected() {
        closed = true;
        pending = EMPTY;
        if (state != Pop3State.UPDATE) {
            releaseLock();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    public Pop3State state() {
        return state;
    }

    /** The account logged in, or null. */
    public String authenticatedUser() {
        return authenticatedUser;
    }

    // ---------------------------------------------------------------- input processing

    private void process() {
        processing = true;
        try {
            while (!suspended && !closed && pending.hasRemaining()) {
                CommandLineDecoder.Result result = lineDecoder.decode(pending);
                if (result instanceof CommandLineDecoder.Result.Line line) {
                    handleLine(line.bytes());
                } else if (result instanceof CommandLineDecoder.Result.TooLong) {
                    lineRefused("line too long");
                } else if (result instanceof CommandLineDecoder.Result.BareLineEnding) {
                    lineRefused("bare CR or LF in command; lines end with CRLF");
                }
            }
        } finally {
            processing = false;
        }
        if (!suspended && !closed) {
            // input ran dry: a pipelining client waits here, so its replies must go out now
            transport.flush();
            if (inputPaused) {
                inputPaused = false;
                transport.resumeInput();
            }
        }
    }

    private void lineRefused(String why) {
        if (mode != Mode.COMMAND) {
            mode = Mode.COMMAND; // a broken SASL response ends the exchange (RFC 5034 section 4)
            saslUser = null;
        }
        negative(Pop3Reply.err(why));
    }

    private void handleLine(byte[] bytes) {
        String line;
        try {
            line = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            lineRefused("command is not valid UTF-8");
            return;
        }
        if (mode != Mode.COMMAND) {
            saslResponse(line);
            return;
        }
        Pop3Command command;
        try {
            command = Pop3CommandParser.parse(line);
        } catch (Pop3SyntaxException e) {
            negative(Pop3Reply.err(e.getMessage()));
            return;
        }
        Pop3Reply refusal = Pop3CommandRules.check(command.verb(), state);
        String user = userName;
        userName = null; // PASS only immediately after USER (RFC 1939 section 7)
        if (refusal != null) {
            negative(refusal);
            return;
        }
        if (command instanceof Pop3Command.User u) {
            user(u.name());
        } else if (command instanceof Pop3Command.Pass p) {
            pass(user, p.password());
        } else if (command instanceof Pop3Command.Auth a) {
            auth(a);
        } else if (command instanceof Pop3Command.OnMessage m) {
            onMessage(m);
        } else if (command instanceof Pop3Command.Top t) {
            sendMessage(t.message(), t.lines());
        } else {
            simple(command.verb());
        }
    }

    // ---------------------------------------------------------------- AUTHORIZATION

    /** USER/PASS and AUTH need TLS unless plaintext is explicitly allowed. */
    private boolean loginAllowed() {
        return tlsProtocol != null || config.allowPlaintextAuth();
    }

    private Pop3Reply plaintextRefused() {
        return Pop3Reply.err(Pop3ResponseCode.AUTH, "plaintext authentication is disallowed without TLS"
            + (config.startTlsAvailable() ? "; use STLS first" : ""));
    }

    private void user(String name) {
        if (!loginAllowed()) {
            negative(plaintextRefused());
            return;
        }
        userName = name;
        reply(Pop3Reply.ok("send PASS"));
    }

    private void pass(String user, String password) {
        if (!loginAllowed()) {
            negative(plaintextRefused());
        } else if (user == null) {
            negative(Pop3Reply.err("USER first"));
        } else {
            login(null, user, password);
        }
    }

    private void auth(Pop3Command.Auth auth) {
        if (!loginAllowed()) {
            negative(plaintextRefused());
            return;
        }
        if (auth.mechanism() == null) {
            transport.write(Pop3Reply.ok("SASL mechanisms follow").encodeWithLines(MECHANISMS));
            return;
        }
        String initial = auth.initialResponse();
        switch (auth.mechanism()) {
            case "PLAIN" -> {
                if (initial == null) {
                    mode = Mode.SASL_PLAIN;
                    transport.write("+ \r\n");
                } else {
                    plain(initial);
                }
            }
            case "LOGIN" -> {
                if (initial == null) {
                    mode = Mode.SASL_LOGIN_USER;
                    transport.write("+ " + SaslResponses.LOGIN_USERNAME_CHALLENGE + "\r\n");
                } else {
                    loginUserName(initial);
                }
            }
            default -> negative(Pop3Reply.err("unsupported SASL mechanism; use " + String.join(" or ", MECHANISMS)));
        }
    }

    private void saslResponse(String line) {
        Mode step = mode;
        mode = Mode.COMMAND;
        if (SaslResponses.CANCEL.equals(line)) {
            saslUser = null;
            negative(Pop3Reply.err("authentication cancelled"));
            return;
        }
        switch (step) {
            case SASL_PLAIN -> plain(line);
            case SASL_LOGIN_USER -> loginUserName(line);
            case SASL_LOGIN_PASSWORD -> {
                String user = saslUser;
                saslUser = null;
                try {
                    login(null, user, SaslResponses.decode(line));
                } catch (SaslException e) {
                    negative(Pop3Reply.err(e.getMessage()));
                }
            }
            default -> throw new IllegalStateException(step.name());
        }
    }

    private void plain(String base64) {
        try {
            SaslResponses.Plain plain = SaslResponses.plain(base64);
            login(plain.authzid().isEmpty() ? null : plain.authzid(), plain.authcid(), plain.password());
        } catch (SaslException e) {
            negative(Pop3Reply.err(e.getMessage()));
        }
    }

    private void loginUserName(String base64) {
        try {
            saslUser = SaslResponses.decode(base64);
        } catch (SaslException e) {
            negative(Pop3Reply.err(e.getMessage()));
            return;
        }
        mode = Mode.SASL_LOGIN_PASSWORD;
        transport.write("+ " + SaslResponses.LOGIN_PASSWORD_CHALLENGE + "\r\n");
    }

    private void login(String authzid, String authcid, String password) {
        SessionInfo info = sessionInfo();
        await(l -> l.authenticate(info, authzid, authcid, password), (account, failure) -> {
            if (closed) {
                return;
            }
            if (failure != null) {
                reply(accessFailure(failure, "authenticate", "authentication is unavailable now, try again later"));
            } else if (account == null) {
                loginFailed();
            } else {
                openMaildrop(account);
            }
        });
    }

    /** Answers a failed login after a delay that doubles with each failure, on a timer rather than a thread. */
    private void loginFailed() {
        authFailures++;
        boolean last = authFailures >= config.maxAuthFailures();
        suspend();
        transport.schedule(config.authFailureDelay(authFailures), () -> {
            if (closed) {
                return;
            }
            if (last) {
                closeWith(Pop3Reply.err(Pop3ResponseCode.AUTH, "authentication failed; too many failures, closing connection"));
            } else {
                reply(Pop3Reply.err(Pop3ResponseCode.AUTH, "authentication failed"));
                resume();
            }
        });
    }

    private void openMaildrop(String account) {
        if (!MaildropLocks.tryLock(account, this)) {
            reply(Pop3Reply.err(Pop3ResponseCode.IN_USE, "maildrop already locked by another session"));
            return;
        }
        lockedAccount = account;
        authenticatedUser = account;
        SessionInfo info = sessionInfo();
        await(l -> {
            MailboxSnapshot snapshot = l.select(info, INBOX, false);
            List<MessageData> messages = l.fetch(info, snapshot.status().id(), snapshot.uids(), false);
            return new Maildrop(snapshot.status().id(), snapshot.status().uidValidity(), messages);
        }, (drop, failure) -> {
            if (closed) {
                releaseLock();
                return;
            }
            if (failure != null) {
                releaseLock();
                reply(accessFailure(failure, "select", "cannot open the maildrop"));
                return;
            }
            maildrop = drop;
            state = Pop3State.TRANSACTION;
            reply(Pop3Reply.ok(account + " has " + drop.liveCount() + " messages (" + drop.liveSize() + " octets)"));
        });
    }

    private void startTls() {
        if (!config.startTlsAvailable() || tlsProtocol != null) {
            negative(Pop3Reply.err(tlsProtocol != null ? "TLS already active" : "STLS not available"));
            return;
        }
        // RFC 2595 / CVE-2011-0411: whatever the client pipelined after STLS in clear text is discarded
        pending = EMPTY;
        lineDecoder.reset();
        reply(Pop3Reply.ok("begin TLS negotiation"));
        transport.flush();
        transport.startTls();
    }

    private List<String> capabilities() {
        List<String> caps = new ArrayList<>(List.of("TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING"));
        if (loginAllowed()) {
            caps.add("USER");
            caps.add("SASL " + String.join(" ", MECHANISMS));
        }
        if (config.startTlsAvailable() && tlsProtocol == null) {
            caps.add("STLS");
        }
        caps.add("EXPIRE NEVER");
        caps.add("LOGIN-DELAY 0");
        caps.add("IMPLEMENTATION Merpati");
        return caps;
    }

    // ---------------------------------------------------------------- TRANSACTION

    private void simple(Pop3Verb verb) {
        switch (verb) {
            case CAPA -> transport.write(Pop3Reply.ok("capability list follows").encodeWithLines(capabilities()));
            case QUIT -> quit();
            case STLS -> startTls();
            case APOP -> negative(Pop3Reply.err("APOP not supported"));
            case STAT -> reply(Pop3Reply.ok(maildrop.liveCount() + " " + maildrop.liveSize()));
            case NOOP -> reply(Pop3Reply.ok(""));
            case RSET -> {
                maildrop.undeleteAll();
                reply(Pop3Reply.ok("maildrop has " + maildrop.liveCount() + " messages (" + maildrop.liveSize() + " octets)"));
            }
            default -> throw new IllegalStateException("not a simple command: " + verb);
        }
    }

    private void onMessage(Pop3Command.OnMessage command) {
        int n = command.message();
        if (n == 0) { // LIST or UIDL of the whole maildrop
            List<String> lines = new ArrayList<>();
            for (int i = 1; i <= maildrop.size(); i++) {
                if (!maildrop.isDeleted(i)) {
                    lines.add(i + " " + (command.verb() == Pop3Verb.LIST ? maildrop.message(i).size() : maildrop.uniqueId(i)));
                }
            }
            String first = command.verb() == Pop3Verb.LIST
                ? maildrop.liveCount() + " messages (" + maildrop.liveSize() + " octets)" : "unique-id listing follows";
            transport.write(Pop3Reply.ok(first).encodeWithLines(lines));
            return;
        }
        Pop3Reply refusal = maildrop.refusal(n);
        if (refusal != null) {
            negative(refusal);
            return;
        }
        switch (command.verb()) {
            case LIST -> reply(Pop3Reply.ok(n + " " + maildrop.message(n).size()));
            case UIDL -> reply(Pop3Reply.ok(n + " " + maildrop.uniqueId(n)));
            case DELE -> {
                maildrop.delete(n);
                reply(Pop3Reply.ok("message " + n + " deleted"));
            }
            case RETR -> sendMessage(n, DotStuffingEncoder.ALL_LINES);
            default -> throw new IllegalStateException("not a message command: " + command.verb());
        }
    }

    /** RETR ({@code bodyLines} = ALL_LINES) or TOP: +OK, then the stored file streamed and byte-stuffed. */
    private void sendMessage(int n, int bodyLines) {
        Pop3Reply refusal = maildrop.refusal(n);
        if (refusal != null) {
            negative(refusal);
            return;
        }
        MessageData message = maildrop.message(n);
        FileChannel file;
        try {
            file = FileChannel.open(Path.of(message.blobPath()), StandardOpenOption.READ);
        } catch (IOException | InvalidPathException | UnsupportedOperationException e) {
            LOG.log(Level.WARNING, "cannot open message file " + message.blobPath() + " in session " + connection.sessionId(), e);
            reply(Pop3Reply.err(Pop3ResponseCode.SYS_TEMP, "message " + n + " cannot be read now"));
            return;
        }
        reply(Pop3Reply.ok(bodyLines == DotStuffingEncoder.ALL_LINES ? message.size() + " octets" : "top of message follows"));
        streaming = true;
        suspend();
        transport.send(new MessageStream(file, bodyLines), sent -> {
            streaming = false;
            if (closed) {
                return;
            }
            if (!sent) {
                abort(); // the connection broke in the middle of the body: nothing sensible can follow
                return;
            }
            resume();
        });
    }

    private void quit() {
        if (state == Pop3State.AUTHORIZATION) {
            closeWith(Pop3Reply.ok(config.serverName() + " POP3 server signing off"));
            return;
        }
        state = Pop3State.UPDATE;
        pending = EMPTY; // nothing after QUIT is read
        long[] uids = maildrop.deletedUids();
        String left = maildrop.liveCount() + " messages left";
        if (uids.length == 0) {
            releaseLock();
            closeWith(Pop3Reply.ok(config.serverName() + " POP3 server signing off (" + left + ")"));
            return;
        }
        SessionInfo info = sessionInfo();
        long mailboxId = maildrop.mailboxId();
        await(l -> {
            l.store(info, mailboxId, uids, FlagOperation.ADD, Set.of("\\Deleted"), -1);
            return l.expunge(info, mailboxId, uids);
        }, (expunged, failure) -> {
            releaseLock();
            if (failure != null) {
                closeWith(accessFailure(failure, "store/expunge", "some deleted messages not removed"));
            } else {
                closeWith(Pop3Reply.ok(config.serverName() + " POP3 server signing off (" + left + ")"));
            }
        });
    }

    // ---------------------------------------------------------------- helpers

    /** Runs a listener call; input stays paused until {@code then} has run on the session thread. */
    private <T> void await(ListenerCall<T> call, BiConsumer<T, Throwable> then) {
        suspend();
        CompletableFuture<T> future;
        try {
            future = dispatcher.call(l -> {
                try {
                    return call.apply(l);
                } catch (MailAccessException e) {
                    throw new CompletionException(e);
                }
            });
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((result, failure) -> {
            Runnable continuation = () -> {
                suspended = false; // before then: it may start the next call (login, then open the maildrop)
                try {
                    then.accept(result, failure == null ? null : unwrap(failure));
                } catch (RuntimeException e) {
                    // a bug here must not leave the client hanging on a session that never answers
                    LOG.log(Level.SEVERE, "internal error in POP3 session " + connection.sessionId(), e);
                    releaseLock();
                    closeWith(Pop3Reply.err(Pop3ResponseCode.SYS_TEMP, "internal error, closing connection"));
                    return;
                }
                if (!closed && !processing) {
                    process(); // carries on with pipelined input unless then suspended again
                }
            };
            try {
                resumeExecutor.execute(continuation);
            } catch (RejectedExecutionException e) {
                // the event loop is gone with the connection; still let the continuation release the lock
                closed = true;
                then.accept(result, failure == null ? null : unwrap(failure));
            }
        });
    }

    private void suspend() {
        suspended = true;
        if (!inputPaused) {
            inputPaused = true;
            transport.pauseInput();
        }
    }

    /** Carries on with pipelined input; when completed inline, the process() loop below us carries on. */
    private void resume() {
        suspended = false;
        if (!closed && !processing) {
            process();
        }
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException
            || cause instanceof java.lang.reflect.UndeclaredThrowableException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * A listener failure as -ERR: the contract's exception by its kind (RFC 3206: UNAVAILABLE is temporary,
     * the rest permanent), anything else as temporary and logged. Never echoes the exception's text.
     */
    private Pop3Reply accessFailure(Throwable failure, String what, String text) {
        if (failure instanceof MailAccessException e) {
            LOG.fine(() -> what + " refused in POP3 session " + connection.sessionId() + ": " + e.kind() + " " + e.getMessage());
            return Pop3Reply.err(e.kind() == MailAccessException.Kind.UNAVAILABLE ? Pop3ResponseCode.SYS_TEMP
                : Pop3ResponseCode.SYS_PERM, text);
        }
        LOG.log(Level.WARNING, what + " failed in POP3 session " + connection.sessionId(), failure);
        return Pop3Reply.err(Pop3ResponseCode.SYS_TEMP, text);
    }

    private void releaseLock() {
        if (lockedAccount != null) {
            MaildropLocks.unlock(lockedAccount, this);
            lockedAccount = null;
        }
        if (state == Pop3State.AUTHORIZATION) {
            authenticatedUser = null;
        }
    }

    private void reply(Pop3Reply reply) {
        if (!closed) {
            transport.write(reply.encode());
        }
    }

    /** Writes a refusal and counts it; too many end the session (without UPDATE). */
    private void negative(Pop3Reply reply) {
        reply(reply);
        if (++errors >= config.maxErrors()) {
            closeWith(Pop3Reply.err("too many errors, closing connection"));
        }
    }

    private void closeWith(Pop3Reply reply) {
        reply(reply);
        closed = true;
        pending = EMPTY;
        if (state != Pop3State.UPDATE) {
            releaseLock();
        }
        transport.flush();
        transport.close();
    }

    /** Closes at once, without a reply (in the middle of a message body). */
    private void abort() {
        closed = true;
        pending = EMPTY;
        if (state != Pop3State.UPDATE) {
            releaseLock();
        }
        transport.abort();
    }

    /** What the listener learns about this connection. */
    public SessionInfo sessionInfo() {
        return new SessionInfo(connection.sessionId(), tlsProtocol != null ? "POP3S" : "POP3", connection.clientAddress(),
            connection.clientPort(), null, connection.localAddress(), connection.localPort(), tlsProtocol, tlsCipher,
            authenticatedUser);
    }

    @Override
    public String toString() {
        return "Pop3Session[" + connection.sessionId() + " " + state.name().toLowerCase(Locale.ROOT) + "]";
    }
}
