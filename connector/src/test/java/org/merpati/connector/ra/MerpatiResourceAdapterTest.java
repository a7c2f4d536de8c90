package org.merpati.connector.ra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.connector.api.LmtpListener;
import org.merpati.connector.api.SmtpListener;
import org.merpati.connector.smtp.netty.TestSmtpClient;
import org.merpati.connector.smtp.proto.RecordingListener;

/** The adapter in a fake container: activation binds, calls go through endpoints, deactivation unbinds. */
class MerpatiResourceAdapterTest {

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

    private SmtpActivationSpec smtpSpec(int port) throws Exception {
        SmtpActivationSpec spec = new SmtpActivationSpec();
        spec.setResourceAdapter(adapter);
        spec.setBindAddress("127.0.0.1");
        spec.setPort(port);
        spec.setTlsMode("NONE");
        spec.setServerName("mx.test");
        spec.setSpoolDirectory(dir.resolve("spool").toString());
        spec.validate();
        return spec;
    }

    @Test
    void activationServesSmtpThroughMessageEndpoints() throws Exception {
        int port = freePort();
        SmtpActivationSpec spec = smtpSpec(port);
        MessageEndpointFactory factory = container.factory(SmtpListener.class, listener);
        adapter.endpointActivation(factory, spec);
        assertEquals(1, adapter.activeListeners());
        try (var c = new TestSmtpClient(new InetSocketAddress("127.0.0.1", port))) {
            assertEquals("220 mx.test ESMTP Merpati ready\r\n", c.reply());
            c.command("EHLO client.test");
            assertEquals("250 2.1.0 sender <a@b.test> ok\r\n", c.command("MAIL FROM:<a@b.test>"));
            assertEquals("250 2.1.5 recipient <c@mx.test> ok\r\n", c.command("RCPT TO:<c@mx.test>"));
            c.command("DATA");
            assertEquals("250 2.0.0 queued as 42\r\n", c.command("hello\r\n."));
        }
        assertEquals("hello\r\n", listener.deliveries.get(0).content());
        assertEquals(3, container.endpointsCreated.get(), "one endpoint per listener call");
        assertEquals(3, container.endpointsReleased.get(), "every endpoint released");

        adapter.endpointDeactivation(factory, spec);
        assertEquals(0, adapter.activeListeners());
        org.merpati.connector.netty.TestPorts.awaitBindable(new InetSocketAddress("127.0.0.1", port),
            java.time.Duration.ofSeconds(10)); // the listener was closed by deactivation
    }

    @Test
    void aPortInUseDoesNotStopTheOtherListeners() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            adapter.endpointActivation(container.factory(SmtpListener.class, listener), smtpSpec(taken.getLocalPort()));
            assertEquals(0, adapter.activeListeners(), "logged, not thrown");
            LmtpActivationSpec lmtp = new LmtpActivationSpec();
            lmtp.setResourceAdapter(adapter);
            lmtp.setPort(freePort());
            lmtp.setSpoolDirectory(dir.resolve("spool").toString());
            adapter.endpointActivation(container.factory(LmtpListener.class, listener), lmtp);
            assertEquals(1, adapter.activeListeners());
            try (var c = new TestSmtpClient(new InetSocketAddress("127.0.0.1", lmtp.getPort()))) {
                assertTrue(c.reply().contains(" LMTP "));
            }
        }
    }

    @Test
    void specFromAnotherAdapterIsRefused() throws Exception {
        SmtpActivationSpec spec = smtpSpec(freePort());
        spec.setResourceAdapter(new MerpatiResourceAdapter());
        assertThrows(jakarta.resource.ResourceException.class,
            () -> adapter.endpointActivation(container.factory(SmtpListener.class, listener), spec));
    }

    @Test
    void defaults() {
        SmtpActivationSpec smtp = new SmtpActivationSpec();
        assertEquals("0.0.0.0", smtp.getBindAddress());
        assertEquals(2525, smtp.getPort());
        assertEquals("STARTTLS", smtp.getTlsMode());
        assertEquals(52_428_800L, smtp.getMaxMessageSize());
        assertEquals(2048, smtp.getMaxLineLength());
        assertEquals(100, smtp.getMaxRecipients());
        assertEquals(1000, smtp.getMaxConnections());
        assertEquals(20, smtp.getMaxConnectionsPerIp());
        assertEquals(300, smtp.getIdleTimeoutSeconds());
        assertEquals(10, smtp.getMaxErrors());
        assertEquals(false, smtp.getVrfyEnabled());
        assertEquals("merpati", smtp.getTlsKeystorePassword());
        assertEquals("", smtp.getTlsCertificate());
        assertTrue(smtp.getTlsKeystore().endsWith("merpati.p12"));
        LmtpActivationSpec lmtp = new LmtpActivationSpec();
        assertEquals("127.0.0.1", lmtp.getBindAddress());
        assertEquals(2424, lmtp.getPort());
        assertEquals("NONE", lmtp.getTlsMode());
    }

    @Test
    void validateNamesTheBadProperty() {
        SmtpActivationSpec spec = new SmtpActivationSpec();
        spec.setTlsMode("SOMETIMES");
        InvalidPropertyException e = assertThrows(InvalidPropertyException.class, spec::validate);
        assertTrue(e.getMessage().startsWith("tlsMode"), e.getMessage());
        spec.setTlsMode("implicit");
        spec.setTlsCertificate("/etc/cert.pem");
        assertTrue(assertThrows(InvalidPropertyException.class, spec::validate).getMessage().startsWith("tlsPrivateKey"));
    }
}
