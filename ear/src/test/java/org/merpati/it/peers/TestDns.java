package org.merpati.it.peers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * unbound on 127.0.0.1 with static local zones (no recursion to the outside: there is none here). Records can
 * be added later (DKIM keys appear only once the server made them); the server is then restarted on the same
 * port, which takes a few milliseconds.
 */
public final class TestDns implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final Set<String> zones = new LinkedHashSet<>();
    private final List<String> records = new ArrayList<>();
    private Process process;

    public TestDns(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.port = freePort();
    }

    public static boolean available() {
        return Files.isExecutable(Path.of("/usr/sbin/unbound"));
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:port}, the form MERPATI_DNS_SERVERS takes. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** Serves {@code zone} authoritatively: names in it without records get NXDOMAIN. */
    public TestDns zone(String zone) {
        zones.add(zone.endsWith(".") ? zone : zone + ".");
        return this;
    }

    /** A record in zone-file syntax, e.g. {@code merpati.test. 60 IN MX 10 mx.merpati.test.} */
    public TestDns record(String record) {
        records.add(record);
        return this;
    }

    /** A TXT record; long values are split into 255-byte strings as DNS requires. */
    public TestDns txt(String name, String value) {
        StringBuilder strings = new StringBuilder();
        for (int i = 0; i < value.length(); i += 250) {
            strings.append(strings.isEmpty() ? "" : " ").append('"')
                    .append(value.substring(i, Math.min(value.length(), i + 250)).replace("\"", "\\\"")).append('"');
        }
        return record((name.endsWith(".") ? name : name + ".") + " 60 IN TXT " + strings);
    }

    public TestDns start() throws IOException, InterruptedException {
        stop();
        StringBuilder conf = new StringBuilder("""
                server:
                  interface: 127.0.0.1
                  port: %d
                  do-daemonize: no
                  chroot: ""
                  username: ""
                  directory: "%s"
                  pidfile: ""
                  use-syslog: no
                  logfile: ""
                  verbosity: 1
                  do-ip6: no
                  access-control: 127.0.0.0/8 allow
                  module-config: "iterator"
                  cache-max-ttl: 0
                  cache-max-negative-ttl: 0
                """.formatted(port, dir));
        for (String zone : zones) {
            conf.append("  local-zone: \"").append(zone).append("\" static\n");
        }
        for (String record : records) {
            conf.append("  local-data: '").append(record.replace("'", "")).append("'\n");
        }
        conf.append("remote-control:\n  control-enable: no\n");
        Path file = dir.resolve("unbound.conf");
        Files.writeString(file, conf);
        process = new ProcessBuilder("/usr/sbin/unbound", "-d", "-c", file.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("unbound.log").toFile()).start();
        Peers.waitForTcp(port, process, dir.resolve("unbound.log"));
        return this;
    }

    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static boolean tcpOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
