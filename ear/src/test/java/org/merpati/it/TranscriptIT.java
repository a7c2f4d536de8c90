package org.merpati.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the protocol transcripts in {@code src/test/resources/transcripts} (format in the README there) against
 * the provisioned server, each with a fresh account that holds two known messages.
 */
class TranscriptIT {

    static MerpatiServer server;
    static final String DOMAIN = "transcript.test";
    static final Path DIR = Path.of("src/test/resources/transcripts").toAbsolutePath();
    static final Pattern LITERAL = Pattern.compile("\\{(\\d+)}$");
    static final Pattern SYNC_LITERAL = Pattern.compile("\\{\\d+}$");

    @BeforeAll
    static void start() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "it-transcript-").toAbsolutePath();
        server = new MerpatiServer(data, Map.of()).start();
        Clients.ok(Clients.admin(server, null, "domain", "add", DOMAIN));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @TestFactory
    Stream<DynamicTest> transcripts() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(DIR)) {
            files = list.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        assertTrue(files.size() >= 3, "transcripts missing in " + DIR);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> run(f)));
    }

    void run(Path file) throws Exception {
        String user = "t-" + UUID.randomUUID().toString().substring(0, 8) + "@" + DOMAIN;
        String password = "Transcript-" + UUID.randomUUID();
        Clients.ok(Clients.admin(server, null, "user", "add", user, "--password", password));
        seed(user);
        boolean imap = file.getFileName().toString().startsWith("imap-");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        try (Socket socket = Clients.trustingTls().getSocketFactory().createSocket("127.0.0.1", imap ? server.imapsPort : server.pop3sPort)) {
            ((SSLSocket) socket).startHandshake();
            socket.setSoTimeout(30_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            List<String> response = List.of(readLine(in)); // greeting
            String context = "greeting";
            List<String> expectations = new ArrayList<>();
            String continuedTag = null;
            for (String raw : lines) {
                String line = raw.replace("{user}", user).replace("{password}", password);
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("C: ")) {
                    check(file, context, response, expectations);
                    expectations.clear();
                    String command = line.substring(3);
                    out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    context = command;
                    // a line ending in a synchronizing literal is continued by the next C: line, same tag
                    String tag = continuedTag != null ? continuedTag : command.split(" ", 2)[0];
                    response = imap ? imapResponse(in, tag) : pop3Response(in, command);
                    // the command goes on only if the server asked for the literal (a refusal ends it)
                    continuedTag = imap && SYNC_LITERAL.matcher(command).find()
                        && response.get(response.size() - 1).startsWith("+") ? tag : null;
                } else {
                    expectations.add(line);
                }
            }
            check(file, context, response, expectations);
        }
    }

    /** Checks the expectations, in order, against a subsequence of the response's lines. */
    static void check(Path file, String command, List<String> response, List<String> expectations) {
        int at = 0;
        for (String e : expectations) {
            if (e.startsWith("!S~: ")) {
                Pattern p = Pattern.compile(e.substring(5));
                for (String r : response) {
                    if (p.matcher(r).matches()) {
                        fail(file.getFileName() + ": after '" + command + "' no line should match " + p + " but got:\n"
                            + String.join("\n", response));
                    }
                }
                continue;
            }
            boolean regex = e.startsWith("S~: ");
            if (!regex && !e.startsWith("S: ") && !e.equals("S:")) {
                fail(file.getFileName() + ": bad transcript line " + e);
            }
            String expected = e.length() > 3 ? e.substring(regex ? 4 : 3) : "";
            boolean found = false;
            while (at < response.size() && !found) {
                String r = response.get(at++);
                found = regex ? Pattern.compile(expected).matcher(r).matches() : r.equals(expected);
            }
            if (!found) {
                fail(file.getFileName() + ": after '" + command + "' expected " + (regex ? "a line matching " : "the line ")
                    + "'" + expected + "' (in order) in:\n" + String.join("\n", response));
            }
        }
    }

    /** Lines up to the one tagged like the command (or a continuation request); literals split into lines. */
    static List<String> imapResponse(InputStream in, String tag) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine(in);
            lines.add(line);
            Matcher m = LITERAL.matcher(line);
            while (m.find()) {
                byte[] literal = in.readNBytes(Integer.parseInt(m.group(1)));
                String text = new String(literal, StandardCharsets.UTF_8);
                String rest = readLine(in);
                String[] parts = (text + rest).split("\r\n", -1);
                lines.addAll(List.of(parts));
                m = LITERAL.matcher(parts[parts.length - 1]);
            }
            if (line.startsWith(tag + " ") || line.startsWith("+")) {
                return lines;
            }
            String last = lines.get(lines.size() - 1);
            if (last.startsWith(tag + " ")) {
                return lines;
            }
        }
    }

    static final List<String> POP3_MULTILINE = List.of("CAPA", "LIST", "UIDL", "RETR", "TOP");

    static List<String> pop3Response(InputStream in, String command) throws IOException {
        List<String> lines = new ArrayList<>();
        String first = readLine(in);
        lines.add(first);
        String[] words = command.toUpperCase().split(" ");
        boolean multi = first.startsWith("+OK") && POP3_MULTILINE.contains(words[0])
            && (words.length == 1 || words[0].equals("RETR") || words[0].equals("TOP"));
        while (multi) {
            String line = readLine(in);
            lines.add(line);
            multi = !line.equals(".");
        }
        return lines;
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            b.write(c);
        }
        if (c == -1 && b.size() == 0) {
            throw new IOException("connection closed by the server");
        }
        String s = b.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    static void seed(String user) {
        String script = "import smtplib, sys\n"
            + "port, to = int(sys.argv[1]), sys.argv[2]\n"
            + "msgs = [('transcript one', 'first body'), ('transcript two', '.a line that starts with a dot')]\n"
            + "with smtplib.SMTP('127.0.0.1', port) as s:\n"
            + "    for subject, body in msgs:\n"
            + "        s.sendmail('sender@example.org', [to], ('From: sender@example.org\\r\\nTo: ' + to\n"
            + "            + '\\r\\nSubject: ' + subject + '\\r\\n\\r\\n' + body + '\\r\\n').encode())\n";
        Clients.Result r = Clients.python(script, String.valueOf(server.smtpPort), user);
        assertEquals(0, r.exit(), r.output());
    }
}
