package org.merpati.connector.smtp.proto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.merpati.connector.api.Envelope;
import org.merpati.connector.api.MailDeliveryListener;
import org.merpati.connector.api.Reply;
import org.merpati.connector.api.SessionInfo;
import org.merpati.connector.api.Recipient;
import org.merpati.connector.api.SubmissionListener;
import org.merpati.connector.endpoint.EndpointDispatcher;
import org.merpati.connector.sasl.AuthFailureDelay;
import org.merpati.connector.sasl.SaslException;
import org.merpati.connector.sasl.SaslResponses;
import org.merpati.connector.spool.SpoolDirectory;
import org.merpati.connector.spool.SpoolFile;

/**
 * One SMTP or LMTP conversation: bytes in, replies and endpoint calls out. Owns the input while the endpoint
 * decides, so pipelined commands (RFC 2920) run strictly in order and their replies leave together when the
 * input runs dry.
 *
 * <p>Threading: every method must be called on one thread at a time (the channel's event loop). Endpoint calls
 * go through the {@link EndpointDispatcher}; their results come back through {@code resumeExecutor}, which must
 * run them on that same thread. Nothing here blocks, except writing spool files.
 *
 * <p>On a submission listener ({@link SmtpSessionConfig#submission()}) the session also speaks AUTH (RFC 4954,
 * PLAIN and LOGIN, with initial responses), only over TLS unless plaintext AUTH is allowed, and refuses MAIL until
 * the client has authenticated. Failed attempts are answered after a growing delay and end the session after
 * {@link SmtpSessionConfig#maxAuthFailures()}. The endpoint must then implement {@link SubmissionListener}.
 */
public final class SmtpSession {

    private static final Logger LOG = Logger.getLogger(SmtpSession.class.getName());
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private enum Mode { COMMAND, DATA, CHUNK, SASL }

    /** Which response the client owes inside an AUTH exchange. */
    private enum SaslStep { PLAIN, LOGIN_USER, LOGIN_PASSWORD }

    private static final String MECHANISMS = "PLAIN LOGIN";

    private final SmtpSessionConfig config;
    private final ConnectionInfo connection;
    private final SmtpTransport transport;
    private final EndpointDispatcher<? extends MailDeliveryListener> dispatcher;
    private final Executor resumeExecutor;
    private final SpoolDirectory spoolDirectory;
    private final CommandLineDecoder lineDecoder;

    private SmtpSessionState state = SmtpSessionState.CONNECTED;
    private Mode mode = Mode.COMMAND;
    private ByteBuffer pending = EMPTY;
    private boolean suspended;
    private boolean processing;
    private boolean inputPaused;
    private boolean closed;
    private boolean extended;
    private String heloName;
    private String tlsProtocol;
    private String tlsCipher;
    private int errors;

    // AUTH (submission listeners only)
    private SaslStep saslStep;
    private String saslUser;
    private String authenticatedUser;
    private int authFailures;

    // the current transaction
    private MailPath reversePath;
    private MailParameters mailParameters;
    private final List<Recipient> recipients = new ArrayList<>();
    private SpoolFile spool;
    private long received;
    private boolean oversize;
    private DotUnstuffingDecoder dotDecoder;
    private long chunkSize;
    private long chunkRemaining;
    private boolean chunkLast;
    private Reply chunkRefusal;

    public SmtpSession(SmtpSessionConfig config, ConnectionInfo connection, SmtpTransport transport,
                       EndpointDispatcher<? extends MailDeliveryListener> dispatcher, Executor resumeExecutor,
                       SpoolDirectory spoolDirectory) {
        this.config = config;
        this.connection = connection;
        this.transport = transport;
        this.dispatcher = dispatcher;
        this.resumeExecutor = resumeExecutor;
        this.spoolDirectory = spoolDirectory;
        this.lineDecoder = new CommandLineDecoder(config.maxLineLength());
    }

    // ---------------------------------------------------------------- events from the transport

    /** The connection is open: greet. */
    public void start() {
        transport.write(SmtpReplyEncoder.encode(220, "", List.of(config.serverName() + (config.lmtp() ? " LMTP" : " ESMTP") + " Merpati ready")));
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

    /** The TLS handshake after STARTTLS (or at connect, for implicit TLS) completed. */
    public void tlsStarted(String protocol, String cipher) {
        this.tlsProtocol = protocol;
        this.tlsCipher = cipher;
    }

    /** No input for the idle timeout. Ignored while the endpoint is working: the client is waiting on us. */
    public void idle() {
        if (!suspended && !closed) {
            closeWith(new Reply(421, "4.4.2", config.serverName() + " idle timeout, closing connection"));
        }
    }

    /** The listener is being stopped. */
    public void shutdown() {
        if (!closed) {
            closeWith(new Reply(421, "4.3.2", config.serverName() + " service shutting down"));
        }
    }

    /** The connection is gone: drop the transaction and its spool file (a pending delivery removes its own). */
    public void disconnected() {
        closed = true;
        saslUser = null;
        resetTransaction();
        pending = EMPTY;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Whether an endpoint call is outstanding. */
    public boolean isWaitingForEndpoint() {
        return suspended;
    }

    public SmtpSessionState state() {
        return state;
    }

    /** The account after a successful AUTH, or null. */
    public String authenticatedUser() {
        return authenticatedUser;
    }

    // ---------------------------------------------------------------- input processing

    private void process() {
        processing = true;
        try {
            while (!suspended && !closed && pending.hasRemaining()) {
                switch (mode) {
                    case COMMAND -> command();
                    case DATA -> data();
                    case CHUNK -> chunk();
                    case SASL -> saslLine();
                    default -> throw new IllegalStateException(mode.name());
                }
            }
        } finally {
            processing = false;
        }
        if (!suspended && !closed) {
            // input ran dry: this is where a pipelining client waits, so its replies must go out now
            transport.flush();
            if (inputPaused) {
                inputPaused = false;
                transport.resumeInput();
            }
        }
    }

    private void command() {
        CommandLineDecoder.Result result = lineDecoder.decode(pending);
        if (result instanceof CommandLineDecoder.Result.Line line) {
            handleLine(line.bytes());
        } else if (result instanceof CommandLineDecoder.Result.TooLong) {
            negative(new Reply(500, "5.5.2", "line too long"));
        } else if (result instanceof CommandLineDecoder.Result.BareLineEnding) {
            negative(new Reply(500, "5.5.2", "bare CR or LF in command; lines end with CRLF"));
        }
    }

    private void handleLine(byte[] bytes) {
        String line;
        try {
            line = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            negative(new Reply(500, "5.5.2", "command is not valid UTF-8"));
            return;
        }
        SmtpCommand cmd;
        try {
            cmd = SmtpCommandParser.parse(line, mailParameters != null && mailParameters.smtpUtf8(), config.submission());
        } catch (SmtpSyntaxException e) {
            negative(e.reply());
            return;
        }
        Reply refusal = SmtpCommandRules.check(cmd.verb(), state, config.lmtp());
        if (refusal != null) {
            if (cmd instanceof SmtpCommand.Bdat bdat) {
                // the chunk follows whatever we say: swallow it, or it would be read as commands
                startChunk(bdat, refusal);
            } else {
                negative(refusal);
            }
            return;
        }
        if (cmd instanceof SmtpCommand.Hello hello) {
            hello(hello);
        } else if (cmd instanceof SmtpCommand.Mail mail) {
            mail(mail);
        } else if (cmd instanceof SmtpCommand.Rcpt rcpt) {
            rcpt(rcpt);
        } else if (cmd instanceof SmtpCommand.Bdat bdat) {
            bdat(bdat);
        } else if (cmd instanceof SmtpCommand.Auth auth) {
            auth(auth);
        } else {
            simple((SmtpCommand.Simple) cmd);
        }
    }

    // ---------------------------------------------------------------- commands

    private void hello(SmtpCommand.Hello hello) {
        resetTransaction();
        heloName = hello.domain();
        extended = hello.verb() != SmtpVerb.HELO;
        state = SmtpSessionState.GREETED;
        if (!extended) {
            send(new Reply(250, "", config.serverName()));
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add(config.serverName() + " hello " + heloName);
        lines.add("PIPELINING");
        lines.add("SIZE " + config.maxMessageSize());
        lines.add("8BITMIME");
        lines.add("SMTPUTF8");
        lines.add("ENHANCEDSTATUSCODES");
        lines.add("CHUNKING");
        lines.add("BINARYMIME");
        lines.add("DSN");
        if (authOffered()) {
            lines.add("AUTH " + MECHANISMS);
        }
        if (config.startTlsAvailable() && tlsProtocol == null) {
            lines.add("STARTTLS");
        }
        transport.write(SmtpReplyEncoder.encode(250, "", lines));
    }

    private void mail(SmtpCommand.Mail mail) {
        if (config.submission() && authenticatedUser == null) {
            negative(AUTHENTICATION_REQUIRED);
            return;
        }
        MailParameters params = mail.parameters();
        if (!extended && !params.equals(MailParameters.NONE)) {
            negative(new Reply(555, "5.5.4", "MAIL parameters need EHLO"));
            return;
        }
        if (params.size() > config.maxMessageSize()) {
            negative(new Reply(552, "5.3.4", "message size exceeds fixed maximum message size"));
            return;
        }
        SessionInfo info = sessionInfo();
        String sender = mail.path().address();
        await(l -> l.checkSender(info, sender), (reply, failure) -> {
            Reply verdict = verdict(reply, failure, "checkSender");
            if (verdict == null) {
                reversePath = mail.path();
                mailParameters = params;
                state = SmtpSessionState.MAIL;
                send(new Reply(250, "2.1.0", "sender " + mail.path() + " ok"));
            } else {
                negative(verdict);
            }
        });
    }

    private void rcpt(SmtpCommand.Rcpt rcpt) {
        if (recipients.size() >= config.maxRecipients()) {
            send(new Reply(452, "4.5.3", "too many recipients"));
            return;
        }
        Recipient recipient = new Recipient(rcpt.path().address(), rcpt.dsnNotify(), rcpt.orcpt());
        SessionInfo info = sessionInfo();
        String sender = reversePath.address();
        long declared = mailParameters.size();
        await(l -> l.checkRecipient(info, sender, recipient, declared), (reply, failure) -> {
            Reply verdict = verdict(reply, failure, "checkRecipient");
            if (verdict == null) {
                recipients.add(recipient);
                state = SmtpSessionState.RCPT;
                send(new Reply(250, "2.1.5", "recipient " + rcpt.path() + " ok"));
            } else {
                negative(verdict);
            }
        });
    }

    private void simple(SmtpCommand.Simple cmd) {
        switch (cmd.verb()) {
            case DATA -> startData();
            case RSET -> {
                resetTransaction();
                send(new Reply(250, "2.0.0", "ok"));
            }
            case NOOP -> send(new Reply(250, "2.0.0", "ok"));
            case HELP -> send(new Reply(214, "2.0.0", "commands: " + (config.lmtp() ? "LHLO" : "EHLO HELO")
                + " MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP" + (config.startTlsAvailable() ? " STARTTLS" : "")
                + (config.submission() ? " AUTH" : "")));
            case QUIT -> closeWith(new Reply(221, "2.0.0", config.serverName() + " closing connection"));
            case VRFY -> vrfy(cmd.argument());
            case STARTTLS -> startTls();
            default -> negative(new Reply(502, "5.5.1", "command not implemented"));
        }
    }

    private void vrfy(String argument) {
        if (config.submission() && authenticatedUser == null) {
            negative(AUTHENTICATION_REQUIRED); // no directory probing through the submission port
            return;
        }
        if (!config.vrfyEnabled()) {
            // RFC 5321 3.5.3: 252 rather than 502, so clients that probe with VRFY still send the mail
            send(new Reply(252, "2.5.2", "cannot VRFY user, but will accept message and attempt delivery"));
            return;
        }
        String inner = argument.startsWith("<") && argument.endsWith(">") ? argument.substring(1, argument.length() - 1) : argument;
        MailPath path;
        try {
            path = MailPathParser.parse(inner, false, true);
        } catch (SmtpSyntaxException e) {
            negative(e.reply());
            return;
        }
        Recipient recipient = new Recipient(path.address(), null, null);
        SessionInfo info = sessionInfo();
        await(l -> l.checkRecipient(info, "", recipient, -1), (reply, failure) -> {
            Reply verdict = verdict(reply, failure, "checkRecipient (VRFY)");
            if (verdict == null) {
                send(new Reply(250, "2.1.5", path.toString()));
            } else {
                negative(verdict);
            }
        });
    }

    private void startTls() {
        if (!config.startTlsAvailable()) {
            negative(new Reply(502, "5.5.1", "STARTTLS not available"));
            return;
        }
        if (tlsProtocol != null) {
            negative(new Reply(503, "5.5.1", "TLS already active"));
            return;
        }
        // RFC 3207 4.2 / CVE-2011-0411: anything the client sent after STARTTLS in clear text is discarded,
        // and the session starts over as if just connected
        pending = EMPTY;
        lineDecoder.reset();
        send(new Reply(220, "2.0.0", "ready to start TLS"));
        resetTransaction();
        heloName = null;
        extended = false;
        authenticatedUser = null; // learnt in clear text (only possible with plaintext AUTH allowed): forgotten too
        state = SmtpSessionState.CONNECTED;
        transport.flush();
        transport.startTls();
    }

    // ---------------------------------------------------------------- AUTH (RFC 4954)

    private static final Reply AUTHENTICATION_REQUIRED = new Reply(530, "5.7.0", "Authentication required");

    /** AUTH is offered, and advertised in EHLO, on submission listeners once TLS is on (or if plaintext is allowed). */
    private boolean authOffered() {
        return config.submission() && (tlsProtocol != null || config.allowPlaintextAuth());
    }

    private void auth(SmtpCommand.Auth auth) {
        if (!extended) {
            negative(new Reply(503, "5.5.1", "AUTH requires EHLO"));
            return;
        }
        if (authenticatedUser != null) {
            negative(new Reply(503, "5.5.1", "already authenticated"));
            return;
        }
        if (!authOffered()) {
            // RFC 3207 section 4 when STARTTLS can fix it, RFC 4954 section 6 (538) when nothing can
            negative(config.startTlsAvailable() && tlsProtocol == null
                ? new Reply(530, "5.7.0", "Must issue a STARTTLS command first")
                : new Reply(538, "5.7.11", "encryption required for requested authentication mechanism"));
            return;
        }
        String initial = auth.initialResponse();
        switch (auth.mechanism()) {
            case "PLAIN" -> {
                if (initial == null) {
                    challenge(SaslStep.PLAIN, "");
                } else {
                    plain(initial);
                }
            }
            case "LOGIN" -> {
                if (initial == null) {
                    challenge(SaslStep.LOGIN_USER, SaslResponses.LOGIN_USERNAME_CHALLENGE);
                } else {
                    loginUser(initial);
                }
            }
            default -> negative(new Reply(504, "5.5.4", "unrecognized authentication type; use " + MECHANISMS));
        }
    }

    /** A 334 challenge; the client's next line is a SASL response, not a command. */
    private void challenge(SaslStep step, String base64) {
        saslStep = step;
        mode = Mode.SASL;
        transport.write(SmtpReplyEncoder.encode(334, "", List.of(base64)));
    }

    /** One SASL response line; any outcome but a further challenge ends the exchange. */
    private void saslLine() {
        CommandLineDecoder.Result result = lineDecoder.decode(pending);
        if (result == null) {
            return;
        }
        SaslStep step = saslStep;
        saslStep = null;
        mode = Mode.COMMAND;
        if (result instanceof CommandLineDecoder.Result.Line line) {
            String response = new String(line.bytes(), StandardCharsets.US_ASCII);
            if (SaslResponses.CANCEL.equals(response)) {
                saslUser = null;
                negative(new Reply(501, "5.0.0", "authentication cancelled"));
                return;
            }
            switch (step) {
                case PLAIN -> plain(response);
                case LOGIN_USER -> loginUser(response);
                case LOGIN_PASSWORD -> {
                    String user = saslUser;
                    saslUser = null;
                    try {
                        authenticate(null, user, SaslResponses.decode(response));
                    } catch (SaslException e) {
                        negative(saslError(e));
                    }
                }
                default -> throw new IllegalStateException(step.name());
            }
        } else {
            saslUser = null;
            negative(result instanceof CommandLineDecoder.Result.TooLong
                ? new Reply(500, "5.5.6", "authentication exchange line is too long")
                : new Reply(500, "5.5.2", "bare CR or LF in SASL response; lines end with CRLF"));
        }
    }

    private void plain(String base64) {
        try {
            SaslResponses.Plain plain = SaslResponses.plain(base64);
            authenticate(plain.authzid().isEmpty() ? null : plain.authzid(), plain.authcid(), plain.password());
        } catch (SaslException e) {
            negative(saslError(e));
        }
    }

    private void loginUser(String base64) {
        try {
            saslUser = SaslResponses.decode(base64);
        } catch (SaslException e) {
            negative(saslError(e));
            return;
        }
        challenge(SaslStep.LOGIN_PASSWORD, SaslResponses.LOGIN_PASSWORD_CHALLENGE);
    }

    /** RFC 4954 section 4: a response that cannot be decoded ends the exchange with 501. */
    private static Reply saslError(SaslException e) {
        return new Reply(501, "5.5.2", e.getMessage());
    }

    private void authenticate(String authzid, String authcid, String password) {
        SessionInfo info = sessionInfo();
        await(l -> submissionListener(l).authenticate(info, authzid, authcid, password), (account, failure) -> {
            if (closed) {
                return;
            }
            if (failure != null) {
                LOG.log(Level.WARNING, "authenticate failed in session " + connection.sessionId(), unwrap(failure));
                send(new Reply(454, "4.7.0", "temporary authentication failure, try again later"));
            } else if (account == null || account.isBlank()) {
                authenticationFailed();
            } else {
                authenticatedUser = account;
                send(new Reply(235, "2.7.0", "authentication successful"));
            }
        });
    }

    /**
     * Answers a failed AUTH after a delay that doubles with each failure (input stays paused meanwhile), and
     * closes the session at the limit: a client that keeps failing is guessing.
     */
    private void authenticationFailed() {
        authFailures++;
        boolean last = authFailures >= config.maxAuthFailures();
        pauseFor(AuthFailureDelay.millis(config.authFailureDelayMillis(), authFailures), () -> {
            if (closed) {
                return;
            }
            if (last) {
                closeWith(new Reply(421, "4.7.0", config.serverName() + " too many authentication failures, closing connection"));
            } else {
                send(new Reply(535, "5.7.8", "authentication credentials invalid"));
            }
        });
    }

    private static SubmissionListener submissionListener(MailDeliveryListener listener) {
        if (listener instanceof SubmissionListener submission) {
            return submission;
        }
        throw new IllegalStateException("submission needs an endpoint implementing SubmissionListener, not "
            + listener.getClass().getName());
    }

    // ---------------------------------------------------------------- DATA

    private void startData() {
        if (mailParameters.isBinary()) {
            negative(new Reply(503, "5.5.1", "BODY=BINARYMIME requires BDAT"));
            return;
        }
        if (!openSpool()) {
            return;
        }
        dotDecoder = new DotUnstuffingDecoder();
        mode = Mode.DATA;
        send(new Reply(354, "", "end data with <CR><LF>.<CR><LF>"));
    }

    private void data() {
        if (dotDecoder.decode(pending, this::spoolWrite)) {
            mode = Mode.COMMAND;
            if (dotDecoder.violation()) {
                resetTransaction();
                negative(new Reply(550, "5.6.0", "message refused: bare CR or LF in message data (RFC 5321 2.3.8)"));
            } else {
                endOfMessage();
            }
            dotDecoder = null;
        }
    }

    // ---------------------------------------------------------------- BDAT

    private void bdat(SmtpCommand.Bdat bdat) {
        if (spool == null) {
            // on failure openSpool has answered 451; the chunk that follows is still read, then dropped
            openSpool();
        }
        startChunk(bdat, null);
    }

    private void startChunk(SmtpCommand.Bdat bdat, Reply refusal) {
        chunkSize = bdat.size();
        chunkRemaining = bdat.size();
        chunkLast = bdat.last();
        chunkRefusal = refusal;
        mode = Mode.CHUNK;
        if (chunkRemaining == 0) {
            endOfChunk();
        }
    }

    private void chunk() {
        int n = (int) Math.min(pending.remaining(), chunkRemaining);
        if (chunkRefusal == null && spool != null) {
            spoolWrite(pending.array(), pending.arrayOffset() + pending.position(), n);
        }
        pending.position(pending.position() + n);
        chunkRemaining -= n;
        if (chunkRemaining == 0) {
            endOfChunk();
        }
    }

    private void endOfChunk() {
        mode = Mode.COMMAND;
        if (chunkRefusal != null) {
            negative(chunkRefusal);
            chunkRefusal = null;
            return;
        }
        if (spool == null) {
            return; // refused when the spool could not be opened; already answered
        }
        if (chunkLast) {
            endOfMessage();
        } else if (oversize) {
            resetTransaction();
            negative(new Reply(552, "5.3.4", "message size exceeds fixed maximum message size"));
        } else {
            state = SmtpSessionState.CHUNKING;
            send(new Reply(250, "2.0.0", chunkSize + " octets received"));
        }
    }

    // ---------------------------------------------------------------- end of message, delivery

    private void endOfMessage() {
        if (oversize) {
            resetTransaction();
            negative(new Reply(552, "5.3.4", "message size exceeds fixed maximum message size"));
            return;
        }
        SpoolFile file = spool;
        spool = null;
        if (!file.finish()) {
            file.delete();
            resetTransaction();
            send(new Reply(451, "4.3.0", "local error writing the message, try again later"));
            return;
        }
        Envelope envelope = new Envelope(reversePath.address(), recipients, mailParameters.body(), mailParameters.smtpUtf8(),
            mailParameters.ret(), mailParameters.envId(), mailParameters.size());
        SessionInfo info = sessionInfo();
        long size = file.size();
        int count = recipients.size();
        resetTransaction();
        await(l -> l.deliver(info, envelope, file.path(), size), (replies, failure) -> {
            file.delete();
            for (Reply reply : deliveryReplies(replies, failure, count)) {
                send(reply);
            }
        });
    }

    /** SMTP: one reply for the transaction; LMTP: one per accepted recipient (RFC 2033 4.2). */
    private List<Reply> deliveryReplies(List<Reply> replies, Throwable failure, int count) {
        Reply tempFail = new Reply(451, "4.3.0", "temporary failure delivering the message, try again later");
        if (failure != null || replies == null || replies.size() != count || replies.stream().anyMatch(java.util.Objects::isNull)) {
            if (failure != null) {
                LOG.log(Level.WARNING, "deliver failed in session " + connection.sessionId(), unwrap(failure));
            } else {
                LOG.warning("deliver returned " + (replies == null ? "null" : replies.size() + " replies")
                    + " for " + count + " recipients in session " + connection.sessionId());
            }
            return config.lmtp() ? java.util.Collections.nCopies(count, tempFail) : List.of(tempFail);
        }
        if (config.lmtp()) {
            return replies;
        }
        return List.of(replies.stream().filter(r -> !r.isPositive()).findFirst().orElse(replies.get(0)));
    }

    // ---------------------------------------------------------------- helpers

    /** Runs an endpoint call; input stays paused until {@code then} has run on the session thread. */
    private <T> void await(Function<MailDeliveryListener, T> call, BiConsumer<T, Throwable> then) {
        suspended = true;
        if (!inputPaused) {
            inputPaused = true;
            transport.pauseInput();
        }
        CompletableFuture<T> future;
        try {
            future = dispatcher.call(call);
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((result, failure) -> {
            Runnable resume = () -> resumeWith(() -> then.accept(result, failure));
            try {
                resumeExecutor.execute(resume);
            } catch (RejectedExecutionException e) {
                // the event loop is gone with the connection; still let the continuation clean up its files
                closed = true;
                then.accept(result, failure);
            }
        });
    }

    /** Pauses input for {@code delayMillis}, then runs {@code then} on the session thread and carries on. */
    private void pauseFor(long delayMillis, Runnable then) {
        suspended = true;
        if (!inputPaused) {
            inputPaused = true;
            transport.pauseInput();
        }
        transport.schedule(delayMillis, () -> resumeWith(then));
    }

    /** The end of a suspension (endpoint call or delay): run the continuation, then read on. */
    private void resumeWith(Runnable then) {
        suspended = false;
        try {
            then.run();
        } catch (RuntimeException e) {
            // a bug here must not leave the client hanging on a session that never answers
            LOG.log(Level.SEVERE, "internal error in session " + connection.sessionId(), e);
            closeWith(new Reply(421, "4.3.0", config.serverName() + " internal error, closing connection"));
            return;
        }
        // completed inline (a synchronous dispatcher or timer): the process() loop below us carries on
        if (!closed && !processing) {
            process();
        }
    }

    /** Null means accepted; a listener exception becomes 451 4.3.0 and never reaches the wire as text. */
    private Reply verdict(Reply reply, Throwable failure, String what) {
        if (failure != null) {
            LOG.log(Level.WARNING, what + " failed in session " + connection.sessionId(), unwrap(failure));
            return new Reply(451, "4.3.0", "temporary failure, try again later");
        }
        return reply == null || reply.isPositive() ? null : reply;
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private boolean openSpool() {
        try {
            spool = spoolDirectory.create();
            received = 0;
            oversize = false;
            return true;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot create spool file in " + spoolDirectory.path(), e);
            send(new Reply(451, "4.3.0", "local error, try again later"));
            return false;
        }
    }

    /** Streams message bytes to the spool file, stopping (but still counting) once the size limit is passed. */
    private void spoolWrite(byte[] bytes, int offset, int length) {
        received += length;
        if (oversize || spool == null) {
            return;
        }
        if (received > config.maxMessageSize()) {
            oversize = true;
            return;
        }
        spool.write(bytes, offset, length);
    }

    private void resetTransaction() {
        if (spool != null) {
            spool.delete();
            spool = null;
        }
        reversePath = null;
        mailParameters = null;
        recipients.clear();
        received = 0;
        oversize = false;
        if (state != SmtpSessionState.CONNECTED) {
            state = SmtpSessionState.GREETED;
        }
    }

    private void send(Reply reply) {
        if (!closed) {
            transport.write(SmtpReplyEncoder.encode(reply, extended));
        }
    }

    /** Writes a refusal and counts it; too many end the session (a client that keeps failing is a prober). */
    private void negative(Reply reply) {
        send(reply);
        if (++errors >= config.maxErrors()) {
            closeWith(new Reply(421, "4.7.0", config.serverName() + " too many errors, closing connection"));
        }
    }

    private void closeWith(Reply reply) {
        send(reply);
        closed = true;
        resetTransaction();
        pending = EMPTY;
        transport.flush();
        transport.close();
    }

    /** What the endpoint learns about this connection (RFC 3848 protocol names for the Received header). */
    public SessionInfo sessionInfo() {
        String protocol;
        if (config.lmtp()) {
            protocol = tlsProtocol != null ? "LMTPS" : "LMTP";
        } else if (extended) {
            protocol = "ESMTP" + (tlsProtocol != null ? "S" : "") + (authenticatedUser != null ? "A" : "");
        } else {
            protocol = "SMTP";
        }
        return new SessionInfo(connection.sessionId(), protocol, connection.clientAddress(), connection.clientPort(),
            heloName, connection.localAddress(), connection.localPort(), tlsProtocol, tlsCipher, authenticatedUser);
    }

    @Override
    public String toString() {
        return "SmtpSession[" + connection.sessionId() + " " + state.name().toLowerCase(Locale.ROOT) + "]";
    }
}
