package org.merpati.it.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

final class Peers {

    private Peers() {
    }

    /** Waits until something listens on the TCP port (unbound listens on TCP too), or fails with the log. */
    static void waitForTcp(int port, Process process, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (TestDns.tcpOpen(port)) {
                return;
            }
            if (process != null && !process.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("peer not listening on " + port + "; log:\n"
                + (Files.exists(log) ? Files.readString(log) : "(none)"));
    }
}
