import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * IMAP load generator (a benchmark, not a test). C clients, each on its own connection and its own user's
 * mailbox, run a mix of SELECT, FETCH (flags, envelope, body), STORE, SEARCH, APPEND and EXPUNGE for S seconds,
 * then it prints operations per second and p50/p99 latency per command.
 *
 * <pre>
 *   java tools/ImapLoad.java --port 2993 --users bench%d@bench.test --password P --clients 20 --seconds 30 \
 *        --mailbox-size 1000
 * </pre>
 * {@code --users} is a pattern: client i logs in as the pattern with %d replaced by i (or the same user for all
 * when it has no %d). Before the run each client fills its mailbox {@code Bench} to {@code --mailbox-size}
 * messages with APPEND (not measured). Implicit TLS (trusting any certificate) unless {@code --plain}.
 */
public final class ImapLoad {

    static final String[] OPS = {"SELECT", "FETCH_FLAGS", "FETCH_ENVELOPE", "FETCH_BODY", "STORE", "SEARCH", "APPEND",
        "EXPUNGE"};
    /** Words of subjects and bodies; a search for one matches about 2% (subject) or 4% (body) of a mailbox. */
    static final String[] WORDS = ("invoice budget meeting holiday contract report travel design review launch "
        + "payroll audit hiring offsite roadmap security backup network printer license renewal partner vendor "
        + "quarter forecast pricing discount shipment warehouse customer support ticket outage release sprint "
        + "feedback survey training workshop webinar newsletter campaign press interview policy compliance "
        + "retention archive migration upgrade").split(" ");

    /** SEARCH's kinds, reported separately below the mix. */
    static final String[] SEARCH_KINDS = {"SEARCH_UNSEEN", "SEARCH_SUBJECT", "SEARCH_BODY"};

    /** Weights of the mix, in percent, in the order of OPS. */
    static final int[] WEIGHTS = {5, 25, 20, 15, 10, 10, 10, 5};

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        String host = o.getOrDefault("host", "127.0.0.1");
        int port = Integer.parseInt(o.getOrDefault("port", "2993"));
        boolean plain = o.containsKey("plain");
        String users = o.getOrDefault("users", "bench%d@bench.test");
        String password = o.getOrDefault("password", "bench-password");
        int clients = Integer.parseInt(o.getOrDefault("clients", "20"));
        int seconds = Integer.parseInt(o.getOrDefault("seconds", "30"));
        int mailboxSize = Integer.parseInt(o.getOrDefault("mailbox-size", "1000"));
        int messageSize = Integer.parseInt(o.getOrDefault("message-size", "4096"));

        System.out.printf("IMAP %s:%d%s clients=%d seconds=%d mailbox-size=%d message-size=%d%n", host, port,
            plain ? "" : " (TLS)", clients, seconds, mailboxSize, messageSize);
        Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
        for (String op : OPS) {
            latencies.put(op, java.util.Collections.synchronizedList(new ArrayList<>()));
        }
        for (String kind : SEARCH_KINDS) { // SEARCH's share, broken down by kind (not counted again in the total)
            latencies.put(kind, java.util.Collections.synchronizedList(new ArrayList<>()));
        }
        AtomicLong failures = new AtomicLong();
        List<Client> all = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            all.add(new Client(host, port, plain, users.contains("%d") ? String.format(users, i) : users, password,
                messageSize));
        }
        // fill mailboxes in parallel, outside the measurement
        List<Thread> threads = new ArrayList<>();
        for (Client c : all) {
            threads.add(start(() -> c.prepare(mailboxSize)));
        }
        join(threads);
        System.out.println("mailboxes ready; running the mix");
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long started = System.nanoTime();
        threads.clear();
        for (Client c : all) {
            threads.add(start(() -> c.run(deadline, latencies, failures)));
        }
        join(threads);
        double elapsed = (System.nanoTime() - started) / 1e9;
        long total = 0;
        System.out.printf("%-15s %8s %9s %9s %9s%n", "command", "ops", "ops/s", "p50 ms", "p99 ms");
        for (String op : OPS) {
            long[] l = latencies.get(op).stream().mapToLong(Long::longValue).sorted().toArray();
            total += l.length;
            System.out.printf("%-15s %8d %9.1f %9.2f %9.2f%n", op, l.length, l.length / elapsed, pct(l, 50), pct(l, 99));
        }
        System.out.printf("total %d ops in %.1f s = %.1f ops/s, failures=%d%n", total, elapsed, total / elapsed,
            failures.get());
        for (String kind : SEARCH_KINDS) {
            long[] l = latencies.get(kind).stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("  %-13s %8d %9.1f %9.2f %9.2f%n", kind, l.length, l.length / elapsed, pct(l, 50),
                pct(l, 99));
        }
    }

    static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    interface Body {
        void run() throws Exception;
    }

    static Thread start(Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        t.start();
        return t;
    }

    static void join(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
    }

    /** One IMAP connection with just enough protocol to send a command and read its response. */
    static final class Client {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final String user;
        final int messageSize;
        int tag;
        long exists;

        Client(String host, int port, boolean plain, String user, String password, int messageSize) throws Exception {
            this.user = user;
            this.messageSize = messageSize;
            socket = plain ? new Socket(host, port) : trustAll().getSocketFactory().createSocket(host, port);
            if (socket instanceof SSLSocket ssl) {
                ssl.startHandshake();
            }
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream(), 65536);
            out = socket.getOutputStream();
            readLine(); // greeting
            expectOk(command("LOGIN \"" + user + "\" \"" + password + "\""));
        }

        void prepare(int size) throws IOException {
            command("CREATE Bench"); // may exist already
            String status = command("STATUS Bench (MESSAGES)");
            int have = Integer.parseInt(status.replaceAll("(?s).*MESSAGES (\\d+).*", "$1"));
            for (int i = have; i < size; i++) {
                append();
            }
            select();
        }

        void run(long deadline, Map<String, List<Long>> latencies, AtomicLong failures) throws IOException {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            while (System.nanoTime() < deadline) {
                int op = pick(r.nextInt(100));
                int searchKind = 0;
                long t0 = System.nanoTime();
                String result;
                long n = Math.max(1, exists);
                long from = 1 + r.nextLong(n);
                switch (OPS[op]) {
                    case "SELECT" -> result = select();
                    case "FETCH_FLAGS" -> result = command("FETCH " + from + ":" + Math.min(n, from + 49) + " (UID FLAGS)");
                    case "FETCH_ENVELOPE" -> result = command("FETCH " + from + ":" + Math.min(n, from + 19)
                        + " (UID ENVELOPE INTERNALDATE RFC822.SIZE)");
                    case "FETCH_BODY" -> result = command("FETCH " + from + " (BODY.PEEK[])");
                    case "STORE" -> result = command("STORE " + from + ":" + Math.min(n, from + 9)
                        + (r.nextBoolean() ? " +FLAGS" : " -FLAGS") + " (\\Seen $Bench)");
                    case "SEARCH" -> {
                        // what clients send: unread mail, a word of the subject, a word of the text
                        String word = WORDS[r.nextInt(WORDS.length)];
                        searchKind = r.nextInt(3);
                        result = command(searchKind == 0 ? "UID SEARCH UNSEEN"
                            : searchKind == 1 ? "UID SEARCH SUBJECT \"" + word + "\"" : "UID SEARCH BODY \"" + word + "\"");
                    }
                    case "APPEND" -> result = append();
                    default -> {
                        // remove as many as APPEND adds, keeping the mailbox near its size
                        command("STORE " + n + " +FLAGS.SILENT (\\Deleted)");
                        result = command("EXPUNGE");
                    }
                }
                long took = System.nanoTime() - t0;
                if (lastLine(result).startsWith("t" + tag + " OK")) {
                    latencies.get(OPS[op]).add(took);
                    if (OPS[op].equals("SEARCH")) {
                        latencies.get(SEARCH_KINDS[searchKind]).add(took);
                    }
                } else {
                    failures.incrementAndGet();
                }
            }
            command("LOGOUT");
            socket.close();
        }

        String select() throws IOException {
            String r = command("SELECT Bench");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\* (\\d+) EXISTS").matcher(r);
            if (m.find()) {
                exists = Long.parseLong(m.group(1));
            }
            return r;
        }

        String append() throws IOException {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            String word = WORDS[r.nextInt(WORDS.length)];
            StringBuilder msg = new StringBuilder("From: load@bench.test\r\nTo: " + user + "\r\nSubject: message "
                + r.nextInt(100) + " about " + word + "\r\nMessage-ID: <" + System.nanoTime() + "@bench>\r\n\r\n"
                + "Notes on " + WORDS[r.nextInt(WORDS.length)] + " and " + WORDS[r.nextInt(WORDS.length)] + ".\r\n");
            while (msg.length() < messageSize) {
                msg.append("The quick brown fox jumps over the lazy dog, again and again and again.\r\n");
            }
            byte[] data = msg.toString().getBytes(StandardCharsets.US_ASCII);
            tag++;
            out.write(("t" + tag + " APPEND Bench {" + data.length + "+}\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(data);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readResponse("t" + tag);
            exists++;
            return response;
        }

        String command(String text) throws IOException {
            tag++;
            out.write(("t" + tag + " " + text + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return readResponse("t" + tag);
        }

        /** Reads untagged lines (and their literals) up to the tagged one; returns all text (literals skipped). */
        String readResponse(String tagText) throws IOException {
            StringBuilder all = new StringBuilder();
            while (true) {
                String line = readLine();
                all.append(line).append('\n');
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{(\\d+)}$").matcher(line);
                while (m.find()) {
                    in.skipNBytes(Long.parseLong(m.group(1)));
                    line = readLine();
                    all.append(line).append('\n');
                    m = java.util.regex.Pattern.compile("\\{(\\d+)}$").matcher(line);
                }
                if (line.startsWith(tagText + " ")) {
                    java.util.regex.Matcher e = java.util.regex.Pattern.compile("\\* (\\d+) EXISTS").matcher(all);
                    while (e.find()) {
                        exists = Long.parseLong(e.group(1));
                    }
                    return all.toString();
                }
            }
        }

        String readLine() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    break;
                }
                if (c != '\r') {
                    b.write(c);
                }
            }
            if (c == -1 && b.size() == 0) {
                throw new IOException("connection closed");
            }
            return b.toString(StandardCharsets.UTF_8);
        }

        static void expectOk(String response) {
            String last = lastLine(response);
            if (!last.matches("t\\d+ OK.*")) {
                throw new IllegalStateException("unexpected: " + last);
            }
        }
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

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected " + args[i] + "; see the class comment for usage");
            }
            String key = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                o.put(key, args[++i]);
            } else {
                o.put(key, "true");
            }
        }
        return o;
    }

    /** The operation whose cumulative weight covers {@code percent}. */
    static int pick(int percent) {
        int acc = 0;
        for (int op = 0; op < OPS.length; op++) {
            acc += WEIGHTS[op];
            if (percent < acc) {
                return op;
            }
        }
        return OPS.length - 1;
    }

    static String lastLine(String response) {
        String s = response.strip();
        return s.substring(s.lastIndexOf('\n') + 1);
    }
}
