package org.merpati.it.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private Postfix instance (Debian's binaries, our own {@code main.cf}/{@code master.cf} in a temp
 * directory) that is the mail server of a second domain: it accepts mail for its listed users on a loopback
 * port, stores it in Maildirs, answers {@code 550 5.1.1} for anyone else, and relays mail for the Merpati
 * domain straight to Merpati's MX port. Starting and stopping it needs root, as Postfix does.
 */
public final class TestPostfix implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final String domain;
    private final List<String> users;
    private final String relayDomain;
    private final int relayPort;
    private boolean running;

    public TestPostfix(Path dir, String domain, List<String> users, String relayDomain, int relayPort) throws IOException {
        this.dir = dir.toAbsolutePath();
        this.port = TestDns.freePort();
        this.domain = domain;
        this.users = List.copyOf(users);
        this.relayDomain = relayDomain;
        this.relayPort = relayPort;
    }

    /** Whether Postfix is installed and we may start it (root). */
    public static boolean available() {
        return Files.isExecutable(Path.of("/usr/sbin/postfix")) && "root".equals(System.getProperty("user.name"));
    }

    public int port() {
        return port;
    }

    public TestPostfix start() throws IOException, InterruptedException {
        if (!Files.exists(dir.resolve("conf/main.cf"))) {
            configure();
        }
        run("/usr/sbin/postfix", "-c", dir.resolve("conf").toString(), "start");
        Peers.waitForTcp(port, null, dir.resolve("maillog"));
        running = true;
        return this;
    }

    public void stop() throws IOException, InterruptedException {
        if (!running) {
            return;
        }
        run("/usr/sbin/postfix", "-c", dir.resolve("conf").toString(), "stop");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (TestDns.tcpOpen(port) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        running = false;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
    }

    /** The messages delivered to {@code user} (local part), oldest first. */
    public List<Path> messages(String user) throws IOException {
        Path maildir = dir.resolve("vmail").resolve(user).resolve("new");
        if (!Files.isDirectory(maildir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(maildir)) {
            return files.sorted().toList();
        }
    }

    public String log() throws IOException {
        Path log = dir.resolve("maillog");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private void configure() throws IOException, InterruptedException {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        for (String sub : List.of("queue", "data", "vmail")) {
            Files.createDirectories(dir.resolve(sub));
        }
        run("chown", "-R", "postfix", dir.resolve("data").toString(), dir.resolve("vmail").toString());
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=mx." + domain,
                "-keyout", conf.resolve("key.pem").toString(), "-out", conf.resolve("cert.pem").toString());
        StringBuilder mailboxes = new StringBuilder();
        for (String user : users) {
            mailboxes.append(mailboxes.isEmpty() ? "" : ", ").append(user).append('@').append(domain).append('=')
                    .append(user).append('/');
        }
        String uid = output("id", "-u", "postfix").strip();
        String gid = output("id", "-g", "postfix").strip();
        Files.writeString(conf.resolve("main.cf"), """
                compatibility_level = 3.6
                queue_directory = %1$s/queue
                data_directory = %1$s/data
                command_directory = /usr/sbin
                daemon_directory = /usr/lib/postfix/sbin
                meta_directory = /etc/postfix
                shlib_directory = /usr/lib/postfix
                mail_owner = postfix
                setgid_group = postdrop
                myhostname = mx.%2$s
                mydomain = %2$s
                myorigin = %2$s
                mydestination =
                inet_interfaces = 127.0.0.1
                inet_protocols = ipv4
                mynetworks = 127.0.0.0/8
                virtual_mailbox_domains = %2$s
                virtual_mailbox_base = %1$s/vmail
                virtual_mailbox_maps = inline:{%3$s}
                virtual_uid_maps = static:%4$s
                virtual_gid_maps = static:%5$s
                transport_maps = inline:{%6$s=smtp:[127.0.0.1]:%7$d}
                smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
                smtpd_tls_security_level = may
                smtpd_tls_cert_file = %1$s/conf/cert.pem
                smtpd_tls_key_file = %1$s/conf/key.pem
                smtp_tls_security_level = may
                smtputf8_enable = no
                maillog_file = %1$s/maillog
                maillog_file_prefixes = %1$s
                queue_run_delay = 1s
                minimal_backoff_time = 1s
                maximal_backoff_time = 2s
                """.formatted(dir, domain, mailboxes, uid, gid, relayDomain, relayPort));
        // Debian's master.cf, with smtpd on our loopback port and no chroot (the private queue has no /etc copy)
        List<String> master = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/etc/postfix/master.cf"))) {
            if (line.isBlank() || line.startsWith("#") || Character.isWhitespace(line.charAt(0))) {
                if (!line.startsWith("#") && !line.isBlank() && !master.isEmpty()) {
                    master.add(line);
                }
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length < 8) {
                continue;
            }
            if (f[0].equals("smtp") && f[1].equals("inet")) {
                f[0] = "127.0.0.1:" + port;
            }
            f[4] = "n";
            master.add(String.join("\t", f));
        }
        Files.write(conf.resolve("master.cf"), master);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static String output(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}
