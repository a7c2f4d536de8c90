package org.merpati.ejb.mailauth;

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
import org.merpati.ejb.dns.DnsAnswer;
import org.merpati.ejb.dns.DnsClient;
import org.merpati.ejb.dns.DnsTemporaryException;

/**
 * A real unbound on a free loopback port serving {@code local-data} for the zone {@code test.} (everything else
 * there is NXDOMAIN). Started and stopped by a test; callers skip when {@link #available()} is false.
 */
final class LocalUnbound implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/sbin/unbound");

    private final Process process;
    private final int port;

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    LocalUnbound(Path dir, List<String> localData) throws IOException, InterruptedException {
        port = freePort();
        StringBuilder conf = new StringBuilder("server:\n  interface: 127.0.0.1\n  port: " + port + "\n"
                + "  do-daemonize: no\n  chroot: \"\"\n  username: \"\"\n  directory: \"" + dir + "\"\n"
                + "  pidfile: \"" + dir.resolve("unbound.pid") + "\"\n  use-syslog: no\n"
                + "  logfile: \"" + dir.resolve("unbound.log") + "\"\n  do-ip6: no\n  num-threads: 1\n"
                + "  access-control: 127.0.0.0/8 allow\n  module-config: \"iterator\"\n"
                + "  local-zone: \"test.\" static\n  local-data: \"ready.test. IN A 127.0.0.1\"\n");
        for (String record : localData) {
            conf.append("  local-data: '").append(record).append("'\n");
        }
        conf.append("remote-control:\n  control-enable: no\n");
        Path config = Files.writeString(dir.resolve("unbound.conf"), conf);
        process = new ProcessBuilder(BINARY.toString(), "-d", "-c", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("unbound.out").toFile()).start();
        DnsClient probe = client(Duration.ofMillis(300));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("unbound exited: " + Files.readString(dir.resolve("unbound.out")));
            }
            try {
                if (probe.a("ready.test").status() == DnsAnswer.Status.FOUND) {
                    return;
                }
            } catch (DnsTemporaryException notYet) {
                // still starting
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new IOException("unbound did not answer within 15 s");
            }
            Thread.sleep(100);
        }
    }

    DnsClient client(Duration timeout) {
        return new DnsClient(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)), timeout);
    }

    /** A TXT record as local-data, split into character-strings of at most 255 characters. */
    static String txt(String name, List<String> strings) {
        StringBuilder record = new StringBuilder(name).append(". IN TXT");
        strings.forEach(s -> record.append(" \"").append(s).append('"'));
        return record.toString();
    }

    static int freePort() throws IOException {
        for (int i = 0; i < 20; i++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                 DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), tcp.getLocalPort()))) {
                return tcp.getLocalPort();
            } catch (IOException taken) {
                // try another
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
