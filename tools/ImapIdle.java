import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Opens N IMAP connections that log in, select INBOX and wait in IDLE, for measuring the server's memory per
 * idle connection (tools/imap-idle-memory.sh drives it). Uses virtual threads: run it with Java 21 or later.
 *
 * <pre>java tools/ImapIdle.java --port 2993 --users bench%d@bench.test --password P --connections 10000 [--plain]</pre>
 * Prints "ready N" when all connections are idling, then holds them until stdin closes.
 */
public final class ImapIdle {

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 2993;
        String users = "bench%d@bench.test";
        String password = "bench-password";
        int connections = 1000;
        int userCount = 20;
        boolean plain = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--users" -> users = args[++i];
                case "--user-count" -> userCount = Integer.parseInt(args[++i]);
                case "--password" -> password = args[++i];
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--plain" -> plain = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        SSLContext tls = trustAll();
        CountDownLatch ready = new CountDownLatch(connections);
        AtomicInteger failed = new AtomicInteger();
        List<Socket> sockets = java.util.Collections.synchronizedList(new ArrayList<>());
        final String h = host;
        final int p = port;
        final boolean clear = plain;
        final String pw = password;
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < connections; i++) {
                String user = users.contains("%d") ? String.format(users, i % userCount) : users;
                executor.submit(() -> {
                    try {
                        Socket s = clear ? new Socket(h, p) : tls.getSocketFactory().createSocket(h, p);
                        if (s instanceof SSLSocket ssl) {
                            ssl.startHandshake();
                        }
                        sockets.add(s);
                        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                        OutputStream out = s.getOutputStream();
                        in.readLine();
                        send(out, "a LOGIN \"" + user + "\" \"" + pw + "\"");
                        until(in, "a ");
                        send(out, "b SELECT INBOX");
                        until(in, "b ");
                        send(out, "c IDLE");
                        until(in, "+");
                    } catch (IOException | RuntimeException e) {
                        if (failed.incrementAndGet() <= 5) {
                            System.err.println("connection failed: " + e);
                        }
                    } finally {
                        ready.countDown();
                    }
                    return null;
                });
                if (i % 100 == 99) {
                    // ~400 new TLS connections a second: faster, the 2-core server's handshakes queue past
                    // Netty's 10 s handshake timeout while it is busy with the logins before them
                    Thread.sleep(250);
                }
            }
            ready.await();
            System.out.println("ready " + (connections - failed.get()) + " failed " + failed.get());
            System.out.flush();
            while (System.in.read() != -1) {
                // hold the connections until stdin closes
            }
            for (Socket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    static void send(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static void until(BufferedReader in, String prefix) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith(prefix)) {
                if (!prefix.equals("+") && !line.startsWith(prefix + "OK")) {
                    throw new IOException("refused: " + line);
                }
                return;
            }
        }
        throw new IOException("closed");
    }

    static SSLContext trustAll() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) {
            }

            public void checkServerTrusted(X509Certificate[] c, String a) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
        return ctx;
    }
}
