import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load generator for the SMTP and LMTP listeners: N messages of a given size over C connections, each
 * connection sending transactions back to back (MAIL, RCPT and DATA pipelined, RFC 2920). Prints accepted
 * messages per second and the p50/p99 latency from MAIL FROM to the final reply. Not a test: a measurement.
 *
 * <pre>java tools/SmtpLoad.java --port 2525 --to user@example.com --messages 5000 --size 4096 --connections 8 [--lmtp]</pre>
 * {@code --to a@x,b@x,...} sends message i to the (i mod n)-th address: one recipient per message, spread over
 * mailboxes as on a real MX, where deliveries to different mailboxes do not wait for each other's locks.
 *
 * <p>Submission (ports 2587/2465): {@code --user U --password P} authenticates with AUTH PLAIN after STARTTLS
 * ({@code --tls implicit} for port 2465); {@code --from} is then the user's address (envelope and From header).
 */
public final class SmtpLoad {

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        String host = o.getOrDefault("host", "127.0.0.1");
        boolean lmtp = o.containsKey("lmtp");
        int port = Integer.parseInt(o.getOrDefault("port", lmtp ? "2424" : "2525"));
        int messages = Integer.parseInt(o.getOrDefault("messages", "5000"));
        int size = Integer.parseInt(o.getOrDefault("size", "4096"));
        int connections = Integer.parseInt(o.getOrDefault("connections", "8"));
        String to = o.get("to");
        String from = o.getOrDefault("from", "load@example.org");
        String user = o.get("user");
        String password = o.get("password");
        String tls = o.getOrDefault("tls", user != null ? "starttls" : "none");
        if (to == null) {
            System.err.println("usage: java SmtpLoad.java --to ADDRESS [--host H] [--port P] [--lmtp] [--messages N]"
                    + " [--size BYTES] [--connections C] [--from ADDRESS] [--user U --password P] [--tls starttls|implicit|none]");
            System.exit(2);
        }
        String[] recipients = to.split(",");
        byte[] body = body(size, from);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long[] latencies = new long[messages];
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            futures.add(pool.submit(() -> {
                try (Socket plain = new Socket(host, port)) {
                    Socket s = tls.equals("implicit") ? startTls(plain, host, port) : plain;
                    s.setSoTimeout(60_000);
                    s.setTcpNoDelay(true);
                    InputStream in = new BufferedInputStream(s.getInputStream());
                    OutputStream out = new BufferedOutputStream(s.getOutputStream(), 65536);
                    reply(in);
                    out.write(((lmtp ? "LHLO" : "EHLO") + " load.example\r\n").getBytes());
                    out.flush();
                    reply(in);
                    if (tls.equals("starttls")) {
                        out.write("STARTTLS\r\n".getBytes());
                        out.flush();
                        if (!reply(in).startsWith("220")) {
                            throw new IOException("STARTTLS refused");
                        }
                        s = startTls(s, host, port);
                        in = new BufferedInputStream(s.getInputStream());
                        out = new BufferedOutputStream(s.getOutputStream(), 65536);
                        out.write("EHLO load.example\r\n".getBytes());
                        out.flush();
                        reply(in);
                    }
                    if (user != null) {
                        String plainAuth = java.util.Base64.getEncoder().encodeToString(
                                ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
                        out.write(("AUTH PLAIN " + plainAuth + "\r\n").getBytes());
                        out.flush();
                        String auth = reply(in);
                        if (!auth.startsWith("235")) {
                            throw new IOException("AUTH refused: " + auth);
                        }
                    }
                    int i;
                    while ((i = next.getAndIncrement()) < messages) {
                        long t0 = System.nanoTime();
                        out.write(("MAIL FROM:<" + from + ">\r\nRCPT TO:<" + recipients[i % recipients.length] + ">\r\nDATA\r\n").getBytes());
                        out.flush();
                        // non-short-circuit &: both replies (MAIL, RCPT) must be read
                        boolean ok = reply(in).startsWith("250") & reply(in).startsWith("250");
                        if (!reply(in).startsWith("354")) {
                            failed.incrementAndGet();
                            out.write("RSET\r\n".getBytes());
                            out.flush();
                            reply(in);
                            continue;
                        }
                        out.write(("Subject: load " + i + "\r\nMessage-ID: <load-" + i + "-" + t0 + "@example.org>\r\n")
                                .getBytes());
                        out.write(body);
                        out.write(".\r\n".getBytes());
                        out.flush();
                        ok &= reply(in).startsWith("250");
                        latencies[i] = System.nanoTime() - t0;
                        if (ok) {
                            done.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    }
                    out.write("QUIT\r\n".getBytes());
                    out.flush();
                } catch (IOException e) {
                    System.err.println("connection failed: " + e);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        long elapsed = System.nanoTime() - start;
        pool.shutdown();
        long[] measured = Arrays.stream(latencies).filter(l -> l > 0).sorted().toArray();
        double seconds = elapsed / 1e9;
        System.out.printf("%s %s:%d  messages=%d size=%d connections=%d%n", lmtp ? "LMTP" : "SMTP", host, port,
                messages, size, connections);
        System.out.printf("accepted=%d failed=%d elapsed=%.2fs throughput=%.1f msgs/s%n", done.get(), failed.get(),
                seconds, done.get() / seconds);
        if (measured.length > 0) {
            System.out.printf("latency p50=%.2fms p99=%.2fms max=%.2fms%n", pct(measured, 50), pct(measured, 99),
                    measured[measured.length - 1] / 1e6);
        }
    }

    private static double pct(long[] sorted, int p) {
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(idx, sorted.length - 1))] / 1e6;
    }

    /** TLS over the connection, trusting any certificate (the server's is self-signed on a test machine). */
    private static Socket startTls(Socket socket, String host, int port) throws IOException {
        try {
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) { }
                public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) { }
                public java.security.cert.X509Certificate[] getAcceptedIssuers() { return new java.security.cert.X509Certificate[0]; }
            }}, null);
            javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) context.getSocketFactory()
                    .createSocket(socket, host, port, true);
            tls.startHandshake();
            return tls;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** Reads one complete (possibly multi-line) reply and returns its last line. */
    private static String reply(InputStream in) throws IOException {
        while (true) {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            if (line.length() < 4 || line.charAt(3) != '-') {
                return line.toString();
            }
        }
    }

    /** A text body of about {@code size} bytes in 76-character lines, dot-stuffing safe. */
    private static byte[] body(int size, String from) {
        StringBuilder sb = new StringBuilder("From: " + from + "\r\nTo: load@example.org\r\n\r\n");
        String line = "The quick brown fox jumps over the lazy dog while the pigeon carries mail. ";
        while (sb.length() < size) {
            sb.append(line, 0, Math.min(line.length(), Math.max(1, size - sb.length()))).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                String k = args[i].substring(2);
                if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    o.put(k, args[++i]);
                } else {
                    o.put(k, "true");
                }
            }
        }
        return o;
    }
}
