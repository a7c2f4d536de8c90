package org.merpati.ejb.outbound.smtp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * One blocking client connection: reads replies through {@link SmtpReplyParser}, writes commands, upgrades to
 * TLS. Reads time out by {@link Socket#setSoTimeout}; writes, which a blocking socket cannot time out, are
 * guarded by a watchdog that closes the socket when one block takes longer than the write timeout (RFC 5321
 * section 4.5.3.2.5, "Data Block: 3 minutes").
 */
final class SmtpConnection implements Closeable {

    /** RFC 5321 allows 512 octets a reply line; real servers send longer ones, but not this long. */
    static final int MAX_LINE = 8192;
    private static final int WRITE_BLOCK = 64 * 1024;

    /** One daemon thread that ends after a minute without work, so an undeployed application leaves none behind. */
    private static final ScheduledThreadPoolExecutor WATCHDOG = new ScheduledThreadPoolExecutor(1, task -> {
        Thread thread = new Thread(task, "merpati-smtp-client-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    static {
        WATCHDOG.setKeepAliveTime(60, TimeUnit.SECONDS);
        WATCHDOG.allowCoreThreadTimeOut(true);
        WATCHDOG.setRemoveOnCancelPolicy(true);
    }

    private final String hostName;
    private final int port;
    private final Duration writeTimeout;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final SmtpReplyParser parser = new SmtpReplyParser();
    private volatile boolean writeTimedOut;

    private SmtpConnection(Socket socket, String hostName, int port, Duration writeTimeout) throws IOException {
        this.hostName = hostName;
        this.port = port;
        this.writeTimeout = writeTimeout;
        attach(socket);
    }

    /**
     * Connects to {@code address}; with {@code implicitTls} the TLS handshake follows at once (RFC 8314).
     *
     * @param hostName the name the address belongs to (for SNI and certificate checks)
     */
    static SmtpConnection open(InetSocketAddress address, String hostName, Duration connectTimeout,
                               Duration writeTimeout, SSLContext implicitTls, boolean verifyName) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(address, (int) connectTimeout.toMillis());
            socket.setTcpNoDelay(true);
            SmtpConnection connection = new SmtpConnection(socket, hostName, address.getPort(), writeTimeout);
            if (implicitTls != null) {
                connection.upgrade(implicitTls, verifyName, connectTimeout);
            }
            return connection;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void attach(Socket s) throws IOException {
        this.socket = s;
        this.in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
        this.out = new BufferedOutputStream(new WatchedOutputStream(s.getOutputStream()), 16 * 1024);
    }

    /** Reads one complete reply, waiting at most {@code timeout} for each line. */
    SmtpReply readReply(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        while (true) {
            Optional<SmtpReply> reply = parser.accept(readLine());
            if (reply.isPresent()) {
                return reply.get();
            }
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed by " + hostName + (line.size() > 0 ? " within a reply line" : ""));
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                // replies are ASCII, or UTF-8 after SMTPUTF8 (RFC 6531); undecodable bytes become U+FFFD
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_LINE) {
                throw new SmtpProtocolException("reply line longer than " + MAX_LINE + " octets from " + hostName);
            }
            line.write(b);
        }
    }

    /** Buffers command text; {@link #flush()} sends it (several commands in one write when pipelining). */
    void write(String commands) throws IOException {
        out.write(commands.getBytes(StandardCharsets.UTF_8));
    }

    void flush() throws IOException {
        out.flush();
    }

    void send(String command) throws IOException {
        write(command);
        flush();
    }

    /** The raw stream for message data (buffered, watched); the caller dot-stuffs it or sends BDAT chunks. */
    OutputStream dataStream() {
        return out;
    }

    /**
     * Upgrades the connection after the server's 220 to STARTTLS (or at once for implicit TLS).
     *
     * @param verifyName whether the certificate must name {@link #hostName()} (the trust itself is the context's)
     */
    void upgrade(SSLContext context, boolean verifyName, Duration handshakeTimeout) throws IOException {
        // bytes that arrived before the handshake would be read as if protected by TLS (CVE-2011-0411 style
        // injection); a server that sent any is not to be trusted with the session
        if (in.available() > 0) {
            throw new SmtpProtocolException(hostName + " sent data after its STARTTLS reply");
        }
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, hostName, port, true);
        SSLParameters params = tls.getSSLParameters();
        if (verifyName) {
            params.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (isDnsName(hostName)) {
            params.setServerNames(java.util.List.of(new SNIHostName(hostName)));
        }
        tls.setSSLParameters(params);
        tls.setUseClientMode(true);
        tls.setSoTimeout((int) handshakeTimeout.toMillis());
        tls.startHandshake();
        attach(tls);
    }

    private static boolean isDnsName(String name) {
        return !name.isEmpty() && !name.contains(":") && !name.matches("[0-9.]+") && !name.startsWith("[");
    }

    boolean isTls() {
        return socket instanceof SSLSocket;
    }

    /** "TLSv1.3 TLS_AES_256_GCM_SHA384", or null without TLS. */
    String tlsDescription() {
        if (socket instanceof SSLSocket tls) {
            SSLSession session = tls.getSession();
            return session.getProtocol() + " " + session.getCipherSuite();
        }
        return null;
    }

    String hostName() {
        return hostName;
    }

    /** Whether the last failed write was ended by the watchdog. */
    boolean writeTimedOut() {
        return writeTimedOut;
    }

    /** Sends QUIT and waits briefly for the answer; never fails. */
    void quitQuietly(Duration timeout) {
        try {
            send(SmtpCommands.quit());
            readReply(timeout);
        } catch (IOException | RuntimeException e) {
            // the server may close first; nothing is pending any more
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is best effort
        }
    }

    static boolean isTimeout(IOException e) {
        return e instanceof SocketTimeoutException;
    }

    /** Splits writes into blocks and arms the watchdog for each. */
    private final class WatchedOutputStream extends OutputStream {
        private final OutputStream target;

        WatchedOutputStream(OutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, WRITE_BLOCK);
                Socket guarded = socket;
                ScheduledFuture<?> alarm = WATCHDOG.schedule(() -> {
                    writeTimedOut = true;
                    try {
                        guarded.close();
                    } catch (IOException e) {
                        // nothing more to do
                    }
                }, writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
                try {
                    target.write(b, off, n);
                } catch (IOException e) {
                    if (writeTimedOut) {
                        throw new SocketTimeoutException("write to " + hostName + " took longer than " + writeTimeout.toSeconds() + " s");
                    }
                    throw e;
                } finally {
                    alarm.cancel(false);
                }
                off += n;
                len -= n;
            }
        }

        @Override
        public void flush() throws IOException {
            target.flush();
        }
    }
}
