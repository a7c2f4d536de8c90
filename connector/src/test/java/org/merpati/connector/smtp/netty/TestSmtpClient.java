package org.merpati.connector.smtp.netty;

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

/** A raw-socket SMTP client for end-to-end tests: writes exact bytes, reads whole (multi-line) replies. */
public final class TestSmtpClient implements AutoCloseable {

    /** Read timeout: only a safety net so a broken server fails the test instead of hanging it. */
    private static final int SAFETY_TIMEOUT_MS = 20_000;

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final InetSocketAddress address;

    public TestSmtpClient(InetSocketAddress address) throws IOException {
        this.address = address;
        socket = new Socket();
        socket.connect(address, SAFETY_TIMEOUT_MS);
        socket.setSoTimeout(SAFETY_TIMEOUT_MS);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    static TestSmtpClient implicitTls(InetSocketAddress address) throws Exception {
        TestSmtpClient c = new TestSmtpClient(address);
        c.upgradeToTls();
        return c;
    }

    public void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** One complete reply, all its lines, CRLFs included; null at end of stream. */
    public String reply() throws IOException {
        StringBuilder reply = new StringBuilder();
        while (true) {
            String line = line();
            if (line == null) {
                return reply.length() == 0 ? null : reply.toString();
            }
            reply.append(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return reply.toString();
            }
        }
    }

    /** Sends a command and returns its reply. */
    public String command(String line) throws IOException {
        send(line + "\r\n");
        return reply();
    }

    private String line() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            buf.write(b);
            if (b == '\n') {
                break;
            }
        }
        return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
    }

    /** Wraps the connection in TLS trusting any certificate (the server's is self-signed). */
    void upgradeToTls() throws Exception {
        SSLContext ctx = TrustingTls.context();
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(socket, address.getHostString(), address.getPort(), true);
        tls.setUseClientMode(true);
        tls.startHandshake();
        socket = tls;
        in = tls.getInputStream();
        out = tls.getOutputStream();
    }

    String tlsProtocol() {
        return ((SSLSocket) socket).getSession().getProtocol();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
