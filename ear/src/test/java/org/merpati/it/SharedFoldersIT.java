package org.merpati.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.merpati.it.Clients.ok;
import static org.merpati.it.Clients.password;
import static org.merpati.it.Clients.script;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Public folders (the IMAP {@code Shared/} namespace) end to end: the administrator creates them and sets their ACL
 * with {@code ./merpati admin shared ...}, users of the domain use them with Python's imaplib over TLS
 * ({@code src/test/resources/clients/shared_folders.py}), users of another domain never see them.
 *
 * <p>The listeners' optional OpenSSL provider is checked here too (this class's server asks for it with
 * {@code MERPATI_TLS_PROVIDER=auto}; the default is the JDK's), to spare a server start.
 */
class SharedFoldersIT {

    static MerpatiServer server;

    @BeforeAll
    static void start() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "it-shared-").toAbsolutePath();
        server = new MerpatiServer(data, Map.of("MERPATI_TLS_PROVIDER", "auto")).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String newDomain(String name) {
        String domain = unique(name) + ".test";
        ok(Clients.admin(server, null, "domain", "add", domain));
        return domain;
    }

    static String newUser(String name, String domain) {
        String address = unique(name) + "@" + domain;
        ok(Clients.admin(server, null, "user", "add", address, "--password", password(address)));
        return address;
    }

    static void assertScriptOk(Clients.Result r) {
        assertEquals(0, r.exit(), r.output() + "\n--- server log:\n" + server.serverLog());
        assertTrue(r.output().strip().endsWith("OK"), r.output());
    }

    @Test
    void aPublicFolderIsSharedWithinItsDomainOnlyUntilTheAdministratorDeletesIt() {
        String domain = newDomain("example");
        String writer = newUser("writer", domain);
        String reader = newUser("reader", domain);
        String stranger = newUser("stranger", newDomain("elsewhere"));
        String folder = "Projects";

        ok(Clients.admin(server, null, "shared", "create", domain, folder));
        Clients.Result twice = Clients.admin(server, null, "shared", "create", domain, folder);
        assertTrue(twice.exit() != 0, "a second create of the same folder: " + twice.output());
        ok(Clients.admin(server, null, "shared", "acl", domain, folder, "anyone", "lrs"));
        ok(Clients.admin(server, null, "shared", "acl", domain, folder, writer, "lrswipkxtea"));
        String listing = ok(Clients.admin(server, null, "shared", "list", domain)).output();
        assertTrue(listing.contains(folder) && listing.contains("anyone=lrs") && listing.contains(writer + "="), listing);

        assertScriptOk(script("shared_folders.py", "access", server.imapsPort, folder,
                writer, password(writer), reader, password(reader), stranger, password(stranger), domain));

        listing = ok(Clients.admin(server, null, "shared", "list", domain)).output();
        assertTrue(listing.lines().anyMatch(l -> List.of(l.split("\\s+")).subList(0, 2).equals(List.of(folder, "1"))),
                "the appended message counts in the folder: " + listing);

        ok(Clients.admin(server, null, "shared", "delete", domain, folder));
        listing = ok(Clients.admin(server, null, "shared", "list", domain)).output();
        assertFalse(listing.contains(folder), listing);
        assertScriptOk(script("shared_folders.py", "gone", server.imapsPort, folder, reader, password(reader)));
        Clients.Result again = Clients.admin(server, null, "shared", "delete", domain, folder);
        assertTrue(again.exit() != 0, "deleting a deleted folder: " + again.output());
    }

    @Test
    void aDomainWithPublicFoldersCanBeDeletedAndAddedAnewWithoutThem() {
        String domain = newDomain("short-lived");
        ok(Clients.admin(server, null, "shared", "create", domain, "Announcements/2026"));
        assertTrue(ok(Clients.admin(server, null, "shared", "list", domain)).output().contains("Announcements/2026"));

        ok(Clients.admin(server, null, "domain", "delete", domain));
        assertFalse(ok(Clients.admin(server, null, "domain", "list")).output().contains(domain));

        ok(Clients.admin(server, null, "domain", "add", domain));
        String listing = ok(Clients.admin(server, null, "shared", "list", domain)).output();
        assertFalse(listing.contains("Announcements"), "the old domain's folders came back: " + listing);
        ok(Clients.admin(server, null, "shared", "create", domain, "Announcements"));
    }

    @Test
    void implicitTlsListenersSpeakTls13() throws Exception {
        assertEquals("* OK", greeting(server.imapsPort).substring(0, 4));
        assertTrue(greeting(server.submissionsPort).startsWith("220 "));
    }

    @Test
    void autoUsesOpenSslOnLinuxX8664() {
        // netty-tcnative-boringssl-static ships a native library for this platform; elsewhere "auto" may use the JDK
        Assumptions.assumeTrue(System.getProperty("os.name").equals("Linux")
                && System.getProperty("os.arch").matches("amd64|x86_64"), "not Linux x86_64");
        String log = server.serverLog();
        assertTrue(log.contains("Merpati TLS provider: OPENSSL"), "no OpenSSL provider line in the server log:\n"
                + log.lines().filter(l -> l.contains("TLS provider")).toList());
    }

    /** Connects with TLS 1.3 only (any certificate: it is self-signed) and returns the first line. */
    private static String greeting(int port) throws Exception {
        SSLContext tls = Clients.trustingTls();
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            socket.startHandshake();
            assertEquals("TLSv1.3", socket.getSession().getProtocol());
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }
}
