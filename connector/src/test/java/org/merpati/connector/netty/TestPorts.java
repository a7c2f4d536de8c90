package org.merpati.connector.netty;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

/** Port checks for listener tests. */
public final class TestPorts {

    private TestPorts() {
    }

    /**
     * Waits until the port can be bound again, which proves nothing listens on it: with SO_REUSEADDR, Linux refuses
     * the bind while a socket listens and while a closed connection's own side is still in FIN_WAIT or LAST_ACK
     * (a few milliseconds after a close), and allows it past TIME_WAIT. Connecting instead would be flaky: another
     * process may take the freed port, or the kernel may give the client that very port and connect it to itself.
     *
     * @throws AssertionError when the port is still bound after {@code max}
     */
    public static void awaitBindable(InetSocketAddress address, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            try (ServerSocket again = new ServerSocket()) {
                again.setReuseAddress(true);
                again.bind(address);
                return;
            } catch (BindException stillBound) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("port " + address + " still bound after " + max, stillBound);
                }
                Thread.sleep(20);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
    }
}
