package org.merpati.connector.pop3.netty;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.merpati.connector.netty.TrustingTls;

/** A raw-socket POP3 client for end-to-end tests: writes exact bytes, reads status lines and multi-line bodies. */
final class TestPop3Client implements AutoCloseable {

    /** Only a safety net so a broken server fails the test instead of hanging it. */
    private static final int SAFETY_TIMEOUT_MS = 20_000;

    private final InetSocketAddress address;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    TestPop3Client(InetSocketAddress address) throws IOException {
        this.address = address;
        socket = new Socket();
        socket.connect(address, SAFETY_TIMEOUT_MS);
        socket.setSoTimeout(SAFETY_TIMEOUT_MS);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    static TestPop3Client implicitTls(InetSocketAddress address) throws Exception {
        TestPop3Client c = new TestPop3Client(address);
        c.upgradeToTls();
        return c;
    }

    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** One line, CRLF included; null at end of stream. */
    String line() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            buf.write(b);
            if (b == '\n') {
                break;
            }
        }
        return buf.size() == 0 ? null : buf.toString(StandardCharsets.UTF_8);
    }

    /** Sends a command, returns its status line. */
    String command(String line) throws IOException {
        send(line + "\r\n");
        return line();
    }

    /** The lines of a multi-line body up to and including the terminating ".CRLF", exactly as sent. */
    String body() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean lineStart = true;
        int state = 0; // 1 = saw "." at line start, 2 = saw ".\r"
        int b;
        while ((b = in.read()) != -1) {
            buf.write(b);
            if (state == 2 && b == '\n') {
                return buf.toString(StandardCharsets.ISO_8859_1);
            }
            state = lineStart && b == '.' ? 1 : state == 1 && b == '\r' ? 2 : 0;
            lineStart = b == '\n';
        }
        throw new IOException("end of stream inside a multi-line response");
    }

    /** Status line plus body. */
    String multiLine(String command) throws IOException {
        String status = command(command);
        return status.startsWith("+OK") ? status + body() : status;
    }

    /** Wraps the connection in TLS trusting any certificate (the server's is self-signed). */
    void upgradeToTls() throws Exception {
        SSLContext ctx = TrustingTls.context();
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(socket, address.getHostString(), address.getPort(), true);
        tls.setUseClientMode(true);
        tls.startHandshake();
        socket = tls;
        in = new BufferedInputStream(tls.getInputStream());
        out = tls.getOutputStream();
    }

    /** The (buffered) input, for tests that read bytes rather than lines. */
    InputStream rawInput() {
        return in;
    }

    String tlsProtocol() {
        return ((SSLSocket) socket).getSession().getProtocol();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
