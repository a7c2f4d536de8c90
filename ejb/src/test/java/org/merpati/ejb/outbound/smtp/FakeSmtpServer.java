package org.merpati.ejb.outbound.smtp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A scripted SMTP server on a loopback socket for the client's tests. Its behaviour is set through public
 * fields before the client connects; it records every command line, the groups of commands that arrived
 * together (to observe PIPELINING), and each message it accepted.
 */
final class FakeSmtpServer implements AutoCloseable {

    /** A message the server took. */
    record Received(String mailFrom, List<String> rcptTo, byte[] data, boolean tls) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    // behaviour
    volatile String greeting = "220 fake.test ESMTP";
    volatile boolean esmtp = true;
    volatile List<String> extensions = List.of("PIPELINING", "SIZE 10000000", "8BITMIME", "DSN", "SMTPUTF8",
            "ENHANCEDSTATUSCODES");
    volatile String mailReply = "250 2.1.0 Ok";
    volatile Function<String, String> rcptReply = address -> "250 2.1.5 Ok";
    volatile int maxRecipientsPerTransaction = Integer.MAX_VALUE;
    volatile String dataReply = "354 End data with <CR><LF>.<CR><LF>";
    volatile String finalReply = "250 2.0.0 Ok: queued";
    /** Close the connection after this many octets of message data (negative: never). */
    volatile int dropAfterDataOctets = -1;
    volatile SSLContext tls;
    volatile String authUser;
    volatile String authPassword;
    volatile boolean implicitTls;
    volatile String authMechanisms = "PLAIN LOGIN";
    /** After 354, stop reading for this long (the client's writes block once the socket buffers fill). */
    volatile long stallInDataMillis;
    /** Answer STARTTLS with 220, then hang up instead of the handshake. */
    volatile boolean breakTlsHandshake;
    /** After the final dot, say nothing for this long. */
    volatile long silenceAfterDotMillis;

    // observations
    final List<String> commands = new CopyOnWriteArrayList<>();
    final List<List<String>> commandGroups = new CopyOnWriteArrayList<>();
    final List<Received> messages = new CopyOnWriteArrayList<>();
    volatile int connections;

    private final ServerSocket server;
    private final Thread acceptor;
    private volatile boolean closed;

    FakeSmtpServer(InetAddress address, int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(address, port));
        acceptor = new Thread(this::acceptLoop, "fake-smtp-" + address.getHostAddress() + ":" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static FakeSmtpServer onLoopback() throws IOException {
        return new FakeSmtpServer(InetAddress.getLoopbackAddress(), 0);
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                connections++;
                Thread handler = new Thread(() -> handle(socket), "fake-smtp-session");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private final class Session {
        Socket socket;
        InputStream in;
        OutputStream out;
        boolean authenticated;
        String mailFrom;
        List<String> rcpts = new ArrayList<>();

        void attach(Socket s) throws IOException {
            socket = s;
            in = new BufferedInputStream(s.getInputStream());
            out = s.getOutputStream();
        }

        void reply(String... lines) throws IOException {
            StringBuilder text = new StringBuilder();
            for (String line : lines) {
                text.append(line).append("\r\n");
            }
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, n, StandardCharsets.UTF_8);
                }
                line.write(b);
            }
        }

        boolean tls() {
            return socket instanceof SSLSocket;
        }
    }

    private void handle(Socket plain) {
        Session s = new Session();
        try (plain) {
            s.attach(plain);
            if (implicitTls) {
                s.attach(startTls(plain));
            }
            s.reply(greeting);
            if (!greeting.startsWith("2")) {
                String line = s.readLine();
                if (line != null && line.equalsIgnoreCase("QUIT")) {
                    s.reply("221 2.0.0 Bye");
                }
                return;
            }
            while (true) {
                String line = s.readLine();
                if (line == null) {
                    return;
                }
                List<String> group = new ArrayList<>(List.of(line));
                if (extensions.contains("PIPELINING") && line.toUpperCase().startsWith("MAIL")) {
                    // collect what the client sent along with MAIL: all RCPTs and DATA when it pipelines
                    s.socket.setSoTimeout(1000);
                    try {
                        while (!group.get(group.size() - 1).equalsIgnoreCase("DATA")) {
                            String next = s.readLine();
                            if (next == null) {
                                break;
                            }
                            group.add(next);
                            if (next.toUpperCase().startsWith("BDAT")) {
                                break;
                            }
                        }
                    } catch (SocketTimeoutException e) {
                        // the client waits for replies: not pipelined
                    } finally {
                        s.socket.setSoTimeout(0);
                    }
                }
                commandGroups.add(List.copyOf(group));
                for (String command : group) {
                    commands.add(command);
                    if (!command(s, command)) {
                        return;
                    }
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** @return false to end the session */
    private boolean command(Session s, String line) throws IOException {
        String upper = line.toUpperCase();
        if (upper.startsWith("EHLO")) {
            if (!esmtp) {
                s.reply("502 5.5.2 Error: command not recognized");
                return true;
            }
            List<String> lines = new ArrayList<>();
            lines.add("fake.test");
            for (String ext : extensions) {
                if (!ext.equals("STARTTLS") || (tls != null && !s.tls())) {
                    lines.add(ext);
                }
            }
            if (tls != null && !s.tls() && !extensions.contains("STARTTLS") && !implicitTls) {
                lines.add("STARTTLS");
            }
            if (authUser != null) {
                lines.add("AUTH " + authMechanisms);
            }
            String[] out = new String[lines.size()];
            for (int i = 0; i < lines.size(); i++) {
                out[i] = "250" + (i == lines.size() - 1 ? " " : "-") + lines.get(i);
            }
            s.reply(out);
        } else if (upper.startsWith("HELO")) {
            s.reply("250 fake.test");
        } else if (upper.equals("STARTTLS")) {
            s.reply("220 2.0.0 Ready to start TLS");
            if (breakTlsHandshake) {
                s.socket.close();
                return false;
            }
            s.attach(startTls(s.socket));
        } else if (upper.startsWith("AUTH PLAIN ")) {
            byte[] decoded = Base64.getDecoder().decode(line.substring(11).trim());
            String expected = "\0" + authUser + "\0" + authPassword;
            authReply(s, expected.equals(new String(decoded, StandardCharsets.UTF_8)));
        } else if (upper.equals("AUTH LOGIN")) {
            s.reply("334 VXNlcm5hbWU6");
            String user = new String(Base64.getDecoder().decode(s.readLine().trim()), StandardCharsets.UTF_8);
            s.reply("334 UGFzc3dvcmQ6");
            String password = new String(Base64.getDecoder().decode(s.readLine().trim()), StandardCharsets.UTF_8);
            authReply(s, user.equals(authUser) && password.equals(authPassword));
        } else if (upper.startsWith("MAIL FROM:")) {
            if (authUser != null && !s.authenticated) {
                s.reply("530 5.7.0 Authentication required");
                return true;
            }
            s.reply(mailReply);
            if (mailReply.startsWith("2")) {
                s.mailFrom = line;
                s.rcpts = new ArrayList<>();
            }
        } else if (upper.startsWith("RCPT TO:")) {
            if (s.mailFrom == null) {
                s.reply("503 5.5.1 Error: need MAIL command");
            } else if (s.rcpts.size() >= maxRecipientsPerTransaction) {
                s.reply("452 4.5.3 Error: too many recipients");
            } else {
                String address = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
                String reply = rcptReply.apply(address);
                if (reply.startsWith("2")) {
                    s.rcpts.add(line);
                }
                s.reply(reply);
            }
        } else if (upper.equals("DATA")) {
            if (s.mailFrom == null || s.rcpts.isEmpty()) {
                s.reply("554 5.5.1 Error: no valid recipients");
                return true;
            }
            s.reply(dataReply);
            if (!dataReply.startsWith("354")) {
                return true;
            }
            pause(stallInDataMillis);
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            int octets = 0;
            while (true) {
                String dataLine = s.readLine();
                if (dataLine == null) {
                    return false;
                }
                octets += dataLine.length() + 2;
                if (dropAfterDataOctets >= 0 && octets > dropAfterDataOctets) {
                    s.socket.close();
                    return false;
                }
                if (dataLine.equals(".")) {
                    break;
                }
                String unstuffed = dataLine.startsWith(".") ? dataLine.substring(1) : dataLine;
                data.write(unstuffed.getBytes(StandardCharsets.UTF_8));
                data.write('\r');
                data.write('\n');
            }
            pause(silenceAfterDotMillis);
            if (finalReply.startsWith("2")) {
                messages.add(new Received(s.mailFrom, List.copyOf(s.rcpts), data.toByteArray(), s.tls()));
            }
            s.reply(finalReply);
            s.mailFrom = null;
        } else if (upper.startsWith("BDAT ")) {
            String[] words = line.split(" ");
            byte[] data = s.in.readNBytes(Integer.parseInt(words[1]));
            messages.add(new Received(s.mailFrom, List.copyOf(s.rcpts), data, s.tls()));
            s.reply("250 2.0.0 Ok: binary queued");
            s.mailFrom = null;
        } else if (upper.equals("RSET")) {
            s.mailFrom = null;
            s.rcpts = new ArrayList<>();
            s.reply("250 2.0.0 Ok");
        } else if (upper.equals("QUIT")) {
            s.reply("221 2.0.0 Bye");
            return false;
        } else {
            s.reply("502 5.5.2 Error: command not recognized");
        }
        return true;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void authReply(Session s, boolean ok) throws IOException {
        s.authenticated = ok;
        s.reply(ok ? "235 2.7.0 Authentication successful" : "535 5.7.8 Error: authentication failed");
    }

    private SSLSocket startTls(Socket plain) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, null, plain.getPort(), false);
        socket.setUseClientMode(false);
        socket.startHandshake();
        return socket;
    }

    /** The recipients' addresses of every accepted message, in order. */
    List<List<String>> recipientsPerMessage() {
        List<List<String>> all = new ArrayList<>();
        for (Received message : messages) {
            List<String> addresses = new ArrayList<>();
            for (String rcpt : message.rcptTo()) {
                addresses.add(rcpt.substring(rcpt.indexOf('<') + 1, rcpt.indexOf('>')));
            }
            all.add(Collections.unmodifiableList(addresses));
        }
        return all;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        try {
            // the listening socket is released only when the blocked accept has returned
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
