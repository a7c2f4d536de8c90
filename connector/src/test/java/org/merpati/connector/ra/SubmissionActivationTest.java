package org.merpati.connector.ra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import jakarta.resource.spi.InvalidPropertyException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.connector.api.SubmissionListener;
import org.merpati.connector.smtp.netty.TestSmtpClient;
import org.merpati.connector.smtp.proto.RecordingListener;

/** A submission spec in the fake container: the MDB is called as a {@link SubmissionListener}. */
class SubmissionActivationTest {

    @TempDir
    Path dir;

    private final FakeContainer container = new FakeContainer();
    private final RecordingListener listener = new RecordingListener();
    private MerpatiResourceAdapter adapter;

    @BeforeEach
    void start() throws Exception {
        adapter = new MerpatiResourceAdapter();
        adapter.start(container);
    }

    @AfterEach
    void stop() {
        adapter.stop();
        container.shutdown();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void defaults() {
        SubmissionActivationSpec spec = new SubmissionActivationSpec();
        assertEquals(2587, spec.getPort());
        assertEquals("STARTTLS", spec.getTlsMode());
        assertEquals(false, spec.getAllowPlaintextAuth());
        assertEquals(3, spec.getMaxAuthFailures());
        assertEquals("SUBMISSION", spec.protocol());
    }

    @Test
    void maxAuthFailuresMustBePositive() {
        SubmissionActivationSpec spec = new SubmissionActivationSpec();
        spec.setMaxAuthFailures(0);
        assertTrue(assertThrows(InvalidPropertyException.class, spec::validate).getMessage().startsWith("maxAuthFailures"));
    }

    @Test
    void activationServesSubmissionThroughMessageEndpoints() throws Exception {
        listener.passwords.put("alice@example.test", "pw");
        SubmissionActivationSpec spec = new SubmissionActivationSpec();
        spec.setResourceAdapter(adapter);
        spec.setBindAddress("127.0.0.1");
        spec.setPort(freePort());
        spec.setTlsMode("NONE");
        spec.setAllowPlaintextAuth(true); // no TLS in this test: the TLS path is SubmissionServerEndToEndTest's
        spec.setServerName("submit.test");
        spec.setSpoolDirectory(dir.resolve("spool").toString());
        spec.validate();
        adapter.endpointActivation(container.factory(SubmissionListener.class, listener), spec);
        assertEquals(1, adapter.activeListeners());
        try (var c = new TestSmtpClient(new InetSocketAddress("127.0.0.1", spec.getPort()))) {
            c.reply();
            assertTrue(c.command("EHLO client.test").contains("AUTH PLAIN LOGIN"));
            assertEquals("530 5.7.0 Authentication required\r\n", c.command("MAIL FROM:<alice@example.test>"));
            String plain = Base64.getEncoder().encodeToString("\0alice@example.test\0pw".getBytes(StandardCharsets.UTF_8));
            assertEquals("235 2.7.0 authentication successful\r\n", c.command("AUTH PLAIN " + plain));
            assertEquals("250 2.1.0 sender <alice@example.test> ok\r\n", c.command("MAIL FROM:<alice@example.test>"));
        }
        assertEquals(java.util.List.of("authenticate alice@example.test", "sender alice@example.test"), listener.calls);
        assertEquals(2, container.endpointsCreated.get(), "authenticate and checkSender, each on its own endpoint");
    }
}
