package org.merpati.ejb.dns;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;


/**
 * A real unbound serving local test zones on a free loopback port, started and stopped by a test. Everything
 * under {@code test.} that the local data does not name is NXDOMAIN ({@code local-zone: "test." static}).
 */
public final class TestUnbound implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/unbound");

    private final Process process;
    private final int port;
    private final Path log;

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** @param localData unbound local-data records, e.g. {@code example.test. IN MX 10 mx.example.test.} */
    public TestUnbound(Path dir, List<String> localData) throws IOException, InterruptedException {
        this.port = freePort();
        this.log = dir.resolve("unbound.log");
        StringBuilder conf = new StringBuilder()
                .append("server:\n")
                .append("  interface: 127.0.0.1\n")
                .append("  port: ").append(port).append('\n')
                .append("  do-daemonize: no\n")
                .append("  chroot: \"\"\n")
                .append("  username: \"\"\n")
                .append("  directory: \"").append(dir).append("\"\n")
                .append("  pidfile: \"").append(dir.resolve("unbound.pid")).append("\"\n")
                .append("  use-syslog: no\n")
                .append("  logfile: \"").append(log).append("\"\n")
                .append("  verbosity: 1\n")
                .append("  do-ip6: no\n")
                .append("  num-threads: 1\n")
                .append("  access-control: 127.0.0.0/8 allow\n")
                .append("  module-config: \"iterator\"\n")
                .append("  local-zone: \"test.\" static\n")
                .append("  local-data: \"ready.test. IN A 127.0.0.1\"\n");
        for (String record : localData) {
            conf.append("  local-data: '").append(record).append("'\n");
        }
        conf.append("remote-control:\n  control-enable: no\n");
        Path config = dir.resolve("unbound.conf");
        Files.writeString(config, conf);
        process = new ProcessBuilder(BINARY.toString(), "-d", "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("unbound.out").toFile()).start();
        waitUntilAnswering(dir);
    }

    private void waitUntilAnswering(Path dir) throws IOException, InterruptedException {
        DnsClient probe = client(Duration.ofMillis(300));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("unbound exited: " + Files.readString(dir.resolve("unbound.out"))
                        + (Files.exists(log) ? Files.readString(log) : ""));
            }
            try {
                if (probe.a("ready.test").status() == DnsAnswer.Status.FOUND) {
                    return;
                }
            } catch (DnsTemporaryException e) {
                // not yet listening
            }
            Thread.sleep(100);
        }
        close();
        throw new IOException("unbound did not answer within 15 s");
    }

    public DnsClient client(Duration timeout) {
        return new DnsClient(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)), timeout);
    }

    /** A TXT record as local-data, one quoted character-string per element (each at most 255 characters). */
    public static String txt(String name, List<String> strings) {
        StringBuilder record = new StringBuilder(name).append(". IN TXT");
        strings.forEach(x -> record.append(" \"").append(x).append('"'));
        return record.toString();
    }

    /** A port free for both UDP and TCP on 127.0.0.1. */
    public static int freePort() throws IOException {
        for (int i = 0; i < 20; i++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                 DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), tcp.getLocalPort()))) {
                return tcp.getLocalPort();
            } catch (IOException e) {
                // taken for UDP: try another
            }
        }
        throw new IOException("no free port");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
