package org.merpati.connector.imap.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.merpati.connector.netty.TrustingTls;

/**
 * A raw-socket IMAP client for transcript tests: writes exact bytes, reads response lines with any literals
 * they carry folded in (so {@code * 1 FETCH (BODY[] {5}\r\nhello)} is one string).
 */
public final class TestImapClient implements AutoCloseable {

    private static final int SAFETY_TIMEOUT_MS = 20_000;

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final InetSocketAddress address;

    public TestImapClient(InetSocketAddress address) throws IOException {
        this.address = address;
        socket = new Socket();
        socket.connect(address, SAFETY_TIMEOUT_MS);
        socket.setSoTimeout(SAFETY_TIMEOUT_MS);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The socket's input, for reading compressed bytes. */
    public InputStream rawInput() {
        return in;
    }

    public void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** One response line, CRLF stripped, literals included; null at end of stream. */
    public String line() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while (true) {
            String raw = rawLine();
            if (raw == null) {
                return buf.size() == 0 ? null : buf.toString(StandardCharsets.UTF_8);
            }
            String content = raw.endsWith("\r\n") ? raw.substring(0, raw.length() - 2) : raw;
            buf.writeBytes(content.getBytes(StandardCharsets.ISO_8859_1));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("~?\\{(\\d+)\\}$").matcher(content);
            if (!m.find()) {
                return buf.toString(StandardCharsets.UTF_8);
            }
            int n = Integer.parseInt(m.group(1));
            buf.write('\r');
            buf.write('\n');
            buf.writeBytes(in.readNBytes(n));
        }
    }

    private String rawLine() throws IOException {
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

    /** Sends {@code tag + " " + command} and returns every line up to and including the tagged one. */
    public List<String> command(String tag, String command) throws IOException {
        send(tag + " " + command + "\r\n");
        return until(tag);
    }

    /** Lines up to and including the one starting with {@code tag}. */
    public List<String> until(String tag) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = line();
            if (line == null) {
                throw new IOException("connection closed; got " + lines);
            }
            lines.add(line);
            if (line.startsWith(tag + " ")) {
                return lines;
            }
        }
    }

    /** The tagged line of a command's response. */
    public static String last(List<String> lines) {
        return lines.get(lines.size() - 1);
    }

    public void login() throws IOException {
        List<String> r = command("L0", "LOGIN " + FakeImapListener.USER + " " + FakeImapListener.PASSWORD);
        if (!last(r).startsWith("L0 OK")) {
            throw new IOException("login failed: " + r);
        }
    }

    /** Wraps the connection in TLS trusting any certificate. */
    public void upgradeToTls() throws Exception {
        SSLContext ctx = TrustingTls.context();
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(socket, address.getHostString(), address.getPort(), true);
        tls.setUseClientMode(true);
        tls.startHandshake();
        socket = tls;
        in = tls.getInputStream();
        out = tls.getOutputStream();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
