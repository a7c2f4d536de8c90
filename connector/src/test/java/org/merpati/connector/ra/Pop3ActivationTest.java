package org.merpati.connector.ra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.connector.api.access.Pop3Listener;
import org.merpati.connector.pop3.FakePop3Listener;

/** A POP3 activation in the fake container: binds, serves through message endpoints, unbinds. */
class Pop3ActivationTest {

    @TempDir
    Path dir;

    private final FakeContainer container = new FakeContainer();
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

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void activationServesPop3ThroughMessageEndpoints() throws Exception {
        FakePop3Listener listener = new FakePop3Listener(dir);
        listener.addAccount("carol@example.test", "pw");
        listener.addMessage("carol@example.test", "Subject: hi\r\n\r\nhello\r\n");
        int port = freePort();
        Pop3ActivationSpec spec = new Pop3ActivationSpec();
        spec.setResourceAdapter(adapter);
        spec.setBindAddress("127.0.0.1");
        spec.setPort(port);
        spec.setTlsMode("NONE");
        spec.setServerName("pop.test");
        spec.setAllowPlaintextAuth(true);
        spec.validate();
        MessageEndpointFactory factory = container.factory(Pop3Listener.class, listener);
        adapter.endpointActivation(factory, spec);
        assertEquals(1, adapter.activeListeners());
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(20_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            assertEquals("+OK pop.test POP3 Merpati ready", in.readLine());
            out.write("USER carol@example.test\r\nPASS pw\r\nDELE 1\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("+OK send PASS", in.readLine());
            assertEquals("+OK carol@example.test has 1 messages (22 octets)", in.readLine());
            assertEquals("+OK message 1 deleted", in.readLine());
            assertEquals("+OK pop.test POP3 server signing off (0 messages left)", in.readLine());
        }
        assertEquals(0, listener.uids("carol@example.test").length);
        assertEquals(3, container.endpointsCreated.get(), "authenticate, select+fetch, store+expunge");
        long deadline = System.nanoTime() + 5_000_000_000L; // released in finally, after the reply may have left
        while (container.endpointsReleased.get() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(3, container.endpointsReleased.get(), "every endpoint released");
        adapter.endpointDeactivation(factory, spec);
        assertEquals(0, adapter.activeListeners());
    }

    @Test
    void defaults() {
        Pop3ActivationSpec spec = new Pop3ActivationSpec();
        assertEquals("0.0.0.0", spec.getBindAddress());
        assertEquals(2110, spec.getPort());
        assertEquals("STARTTLS", spec.getTlsMode());
        assertEquals(8192, spec.getMaxLineLength());
        assertEquals(1000, spec.getMaxConnections());
        assertEquals(20, spec.getMaxConnectionsPerIp());
        assertEquals(600, spec.getIdleTimeoutSeconds());
        assertEquals(20, spec.getMaxErrors());
        assertEquals(3, spec.getMaxAuthFailures());
        assertEquals(false, spec.getAllowPlaintextAuth());
        assertEquals("merpati", spec.getTlsKeystorePassword());
        assertEquals("", spec.getTlsCertificate());
        assertEquals("", spec.getTlsPrivateKey());
        assertTrue(spec.getTlsKeystore().endsWith("merpati.p12"));
    }

    @Test
    void validateNamesTheBadProperty() {
        Pop3ActivationSpec spec = new Pop3ActivationSpec();
        spec.setMaxLineLength(100);
        assertTrue(assertThrows(InvalidPropertyException.class, spec::validate).getMessage().startsWith("maxLineLength"));
        spec.setMaxLineLength(255);
        spec.setMaxAuthFailures(0);
        assertTrue(assertThrows(InvalidPropertyException.class, spec::validate).getMessage().startsWith("maxAuthFailures"));
        spec.setMaxAuthFailures(3);
        spec.setTlsMode("SOMETIMES");
        assertTrue(assertThrows(InvalidPropertyException.class, spec::validate).getMessage().startsWith("tlsMode"));
    }
}
