package org.merpati.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** Runs the real clients (swaks, curl, python3, the admin tool) as processes and collects what they said. */
final class Clients {

    record Result(int exit, String output) {
    }

    private Clients() {
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("merpati.repo.root", ".."));
    }

    static Result run(Map<String, String> env, String stdin, List<String> command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(600, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0) + " (is it installed? .ci/run installs it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The admin tool exactly as a user runs it ({@code ./merpati admin ...}). */
    static Result admin(MerpatiServer server, String stdin, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(repoRoot().resolve("merpati").toString(), "admin"));
        cmd.addAll(List.of(args));
        return run(Map.of("MERPATI_URL", "http://127.0.0.1:" + server.httpPort,
                "MERPATI_ADMIN_PASSWORD", MerpatiServer.ADMIN_PASSWORD,
                "MERPATI_DATA_DIR", server.dataDir().toString()), stdin, cmd);
    }

    static Result python(String script, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("python3", "-c", script));
        cmd.addAll(List.of(args));
        return run(Map.of(), null, cmd);
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code r}, after asserting that its process succeeded. */
    static Result ok(Result r) {
        assertEquals(0, r.exit(), r.output());
        return r;
    }

    /** The password the tests give {@code address}. */
    static String password(String address) {
        return "pw-" + address.hashCode() + "-Secret";
    }

    /** A client script of {@code src/test/resources/clients}, run with the system's Python. */
    static Result script(String name, Object... args) {
        Path dir = Path.of(System.getProperty("merpati.clients.dir", "src/test/resources/clients")).toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of("python3", dir.resolve(name).toString()));
        for (Object a : args) {
            cmd.add(String.valueOf(a));
        }
        return run(Map.of("PYTHONPATH", dir.toString()), null, cmd);
    }

    /** TLS for the clients: trusts any certificate, since the server's is self-signed. */
    static SSLContext trustingTls() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
        return ctx;
    }
}
