package org.merpati.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin API over HTTP: authentication, problem responses, and what the admin tool relies on. */
class AdminApiIT {

    static MerpatiServer server;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "it-admin-").toAbsolutePath();
        server = new MerpatiServer(data, Map.of()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> call(String method, String path, String auth, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static final String ADMIN = basic("admin@localhost", MerpatiServer.ADMIN_PASSWORD);

    @Test
    void healthEndpointsAnswer() throws Exception {
        assertEquals(200, call("GET", "/api/health/live", null, null).statusCode());
        HttpResponse<String> ready = call("GET", "/api/health/ready", null, null);
        assertEquals(200, ready.statusCode());
        assertTrue(ready.body().contains("UP"));
    }

    @Test
    void withoutCredentialsTheApiChallenges() throws Exception {
        HttpResponse<String> r = call("GET", "/api/admin/domains", null, null);
        assertEquals(401, r.statusCode());
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        assertEquals(401, call("GET", "/api/admin/domains", basic("admin@localhost", "wrong-password"), null).statusCode());
    }

    @Test
    void theBootstrapAdministratorManagesTheDirectory() throws Exception {
        HttpResponse<String> created = call("POST", "/api/admin/domains", ADMIN, "{\"name\":\"Admin.Test\"}");
        assertEquals(201, created.statusCode(), created.body());
        assertTrue(created.body().contains("\"admin.test\""), "domain names are stored in lower case: " + created.body());
        assertEquals(409, call("POST", "/api/admin/domains", ADMIN, "{\"name\":\"admin.test\"}").statusCode());

        HttpResponse<String> user = call("POST", "/api/admin/accounts", ADMIN,
                "{\"address\":\"dave@admin.test\",\"password\":\"dave-password\"}");
        assertEquals(201, user.statusCode(), user.body());
        assertFalse(user.body().toLowerCase().contains("hash"), "no password hash in answers");

        HttpResponse<String> boxes = call("GET", "/api/admin/accounts/dave@admin.test/mailboxes", ADMIN, null);
        assertEquals(200, boxes.statusCode());
        for (String box : new String[] {"INBOX", "Sent", "Drafts", "Trash", "Junk", "Archive"}) {
            assertTrue(boxes.body().contains("\"" + box + "\""), box + " in " + boxes.body());
        }
        // a normal user is authenticated but not allowed in
        assertEquals(403, call("GET", "/api/admin/domains", basic("dave@admin.test", "dave-password"), null).statusCode());
        // the domain still has an account
        assertEquals(409, call("DELETE", "/api/admin/domains/admin.test", ADMIN, null).statusCode());
    }

    @Test
    void badInputGetsProblemResponses() throws Exception {
        HttpResponse<String> bad = call("POST", "/api/admin/accounts", ADMIN,
                "{\"address\":\"not an address\",\"password\":\"long-enough\"}");
        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("\"detail\""), bad.body());
        HttpResponse<String> missing = call("GET", "/api/admin/accounts/nobody@nowhere.test", ADMIN, null);
        assertEquals(404, missing.statusCode());
        assertEquals("application/problem+json", missing.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        HttpResponse<String> garbage = call("POST", "/api/admin/domains", ADMIN, "{not json");
        assertEquals(400, garbage.statusCode(), garbage.body());
        assertFalse(garbage.body().contains("Exception"), "no stack trace or exception names: " + garbage.body());
    }

    @Test
    void openApiDescribesTheAdminApi() throws Exception {
        HttpResponse<String> r = call("GET", "/openapi", null, null);
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("/api/admin/accounts"), r.body());
    }
}
