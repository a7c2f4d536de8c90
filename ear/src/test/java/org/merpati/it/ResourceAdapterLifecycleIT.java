package org.merpati.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The resource adapter's listeners live exactly as long as the deployment: Arquillian deploys the real EAR into
 * the provisioned server (a managed container, configured in {@code arquillian.xml}), undeploys and redeploys it,
 * and every protocol port opens, closes and opens again, serving each time.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ResourceAdapterLifecycleIT {

    static final String EAR = "merpati";
    /** The listener ports the failsafe configuration gives the managed server. */
    static final Map<String, Integer> PORTS = Map.of("SMTP", 26525, "LMTP", 26424, "IMAP", 26143, "IMAPS", 26993,
        "POP3", 26110, "POP3S", 26995, "SUBMISSION", 26587, "SUBMISSIONS", 26465);
    static final int HTTP = 8080 + Integer.getInteger("arquillian.port-offset", 24000);

    @ArquillianResource
    Deployer deployer;

    /** The EAR as built: its name must stay merpati.ear, the name the MDBs use to find the resource adapter. */
    @Deployment(name = EAR, managed = false, testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("merpati.ear")));
    }

    @Test
    void listenersOpenOnDeployCloseOnUndeployAndReopenOnRedeploy() throws Exception {
        PORTS.forEach((protocol, port) -> assertTrue(!open(port), protocol + " port open before deployment"));

        deployer.deploy(EAR);
        assertServing();

        deployer.undeploy(EAR);
        for (Map.Entry<String, Integer> p : PORTS.entrySet()) {
            assertTrue(waitFor(() -> !open(p.getValue())), p.getKey() + " port still open after undeploy");
        }

        deployer.deploy(EAR);
        assertServing();
        deployer.undeploy(EAR);
    }

    private void assertServing() throws Exception {
        assertTrue(waitFor(this::ready), "health/ready never answered 200");
        for (Map.Entry<String, Integer> p : PORTS.entrySet()) {
            assertTrue(waitFor(() -> open(p.getValue())), p.getKey() + " port not open after deploy");
        }
        assertEquals("220", greeting(PORTS.get("SMTP")).substring(0, 3));
        assertTrue(greeting(PORTS.get("IMAP")).startsWith("* OK"));
        assertTrue(greeting(PORTS.get("POP3")).startsWith("+OK"));
    }

    private boolean ready() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + HTTP + "/api/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String greeting(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    private static boolean open(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Polls a condition for up to 60 s: a bound for a hang, not a performance claim. */
    private static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }
}
