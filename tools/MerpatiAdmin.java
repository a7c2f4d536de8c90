import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Merpati administration tool: a thin client of the admin REST API (/api/admin). A single source file
 * run with {@code java MerpatiAdmin.java} (./merpati admin) so it needs no build and no dependencies.
 *
 * <p>Connection: MERPATI_URL (default http://127.0.0.1:8080), MERPATI_ADMIN_USER (default admin@localhost),
 * MERPATI_ADMIN_PASSWORD, else the password file the server writes at first start
 * ($MERPATI_DATA_DIR/admin-password), else a prompt.
 */
public final class MerpatiAdmin {

    private static final String USAGE = """
            usage: merpati admin COMMAND ...
              domain list
              domain add DOMAIN
              domain delete DOMAIN
              domain catch-all DOMAIN TARGET|--remove
              domain dmarc DOMAIN enforce|report-only
              user list DOMAIN
              user add ADDRESS [--password P | --password-stdin] [--quota BYTES] [--admin]
              user show ADDRESS
              user passwd ADDRESS [--password P | --password-stdin]
              user quota ADDRESS BYTES          (0 = unlimited)
              user delete ADDRESS
              alias list DOMAIN
              alias add ALIAS TARGET
              alias delete ALIAS TARGET
              group list DOMAIN
              group add GROUP [MEMBER ...]
              group member-add GROUP MEMBER
              group member-remove GROUP MEMBER
              mailbox list ADDRESS
              send-as list ACCOUNT
              send-as add ACCOUNT ADDRESS     (ADDRESS or @DOMAIN the account may send as)
              send-as remove ACCOUNT ADDRESS
              shared list DOMAIN              (public folders: IMAP "Shared/<FOLDER>" for the domain's users)
              shared create DOMAIN FOLDER
              shared delete DOMAIN FOLDER     (with its subfolders and messages)
              shared acl DOMAIN FOLDER IDENTIFIER RIGHTS   (anyone, an account or group, "-" for negative;
                                              RIGHTS as IMAP ACL, e.g. lrs or lrswipkxtea; "" removes the entry)
              queue list [--limit N]          (outbound queue, oldest first)
              queue flush                     (every waiting recipient due now)
              queue retry ID                  (waiting recipients are tried now)
              queue delete ID                 (dropped without a DSN)
              queue bounce ID                 (pending recipients fail, one DSN to the sender)
              dkim generate DOMAIN [--algorithm rsa|ed25519] [--selector S]   (RSA 2048 by default)
              dkim list DOMAIN
              dkim deactivate DOMAIN SELECTOR
              dns DOMAIN                      (records to publish: MX, SPF, DMARC, DKIM, as zone-file lines)
            environment: MERPATI_URL, MERPATI_ADMIN_USER, MERPATI_ADMIN_PASSWORD, MERPATI_DATA_DIR
            """;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String authorization;

    private MerpatiAdmin(String base, String user, String password) {
        this.base = base.replaceAll("/+$", "") + "/api/admin";
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args[0].equals("help")) {
            System.out.print(USAGE);
            System.exit(args.length == 1 && args[0].equals("help") ? 0 : 2);
        }
        String url = env("MERPATI_URL", "http://127.0.0.1:8080");
        String user = env("MERPATI_ADMIN_USER", "admin@localhost");
        MerpatiAdmin admin = new MerpatiAdmin(url, user, adminPassword());
        try {
            System.exit(admin.run(args));
        } catch (UsageException e) {
            System.err.println("merpati admin: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        } catch (IOException e) {
            System.err.println("merpati admin: cannot reach " + url + ": " + e);
            System.exit(1);
        }
    }

    private int run(String[] a) throws IOException, InterruptedException {
        if (a[0].equals("dns")) {
            return showText(getText("/domains/" + enc(a[1]) + "/dns"));
        }
        String what = a[0] + " " + a[1];
        List<String> rest = new ArrayList<>(Arrays.asList(a).subList(2, a.length));
        switch (what) {
            case "domain list" -> {
                return table(get("/domains"), "name", "accounts", "catchAll");
            }
            case "domain add" -> {
                return show(send("POST", "/domains", json("name", arg(rest, 0, "DOMAIN"))));
            }
            case "domain delete" -> {
                return show(send("DELETE", "/domains/" + enc(arg(rest, 0, "DOMAIN")), null));
            }
            case "domain catch-all" -> {
                String domain = arg(rest, 0, "DOMAIN");
                boolean remove = rest.contains("--remove");
                String target = remove ? null : arg(rest, 1, "TARGET or --remove");
                return show(remove
                        ? send("DELETE", "/domains/" + enc(domain) + "/catch-all", null)
                        : send("PUT", "/domains/" + enc(domain) + "/catch-all", json("target", target)));
            }
            case "domain dmarc" -> {
                String domain = arg(rest, 0, "DOMAIN");
                return show(send("PUT", "/domains/" + enc(domain) + "/dmarc-enforcement",
                        json("enforcement", arg(rest, 1, "enforce|report-only"))));
            }
            case "user list" -> {
                return table(get("/accounts?domain=" + enc(arg(rest, 0, "DOMAIN"))),
                        "address", "admin", "enabled", "quotaBytes", "usedBytes");
            }
            case "user add" -> {
                String address = arg(rest, 0, "ADDRESS");
                String password = passwordOption(rest, "Password for " + address + ": ");
                String quota = option(rest, "--quota");
                boolean isAdmin = rest.contains("--admin");
                StringBuilder body = new StringBuilder("{\"address\":").append(quote(address))
                        .append(",\"password\":").append(quote(password)).append(",\"admin\":").append(isAdmin);
                if (quota != null) {
                    body.append(",\"quotaBytes\":").append(Long.parseLong(quota));
                }
                return show(send("POST", "/accounts", body.append('}').toString()));
            }
            case "user show" -> {
                return show(send("GET", "/accounts/" + enc(arg(rest, 0, "ADDRESS")), null));
            }
            case "user passwd" -> {
                String address = arg(rest, 0, "ADDRESS");
                String password = passwordOption(rest, "New password for " + address + ": ");
                return show(send("PUT", "/accounts/" + enc(address) + "/password", json("password", password)));
            }
            case "user quota" -> {
                String address = arg(rest, 0, "ADDRESS");
                long bytes = Long.parseLong(arg(rest, 1, "BYTES"));
                return show(send("PUT", "/accounts/" + enc(address) + "/quota", "{\"quotaBytes\":" + bytes + "}"));
            }
            case "user delete" -> {
                return show(send("DELETE", "/accounts/" + enc(arg(rest, 0, "ADDRESS")), null));
            }
            case "alias list" -> {
                return table(get("/aliases?domain=" + enc(arg(rest, 0, "DOMAIN"))), "alias", "target");
            }
            case "alias add" -> {
                return show(send("POST", "/aliases", "{\"alias\":" + quote(arg(rest, 0, "ALIAS")) + ",\"target\":"
                        + quote(arg(rest, 1, "TARGET")) + "}"));
            }
            case "alias delete" -> {
                return show(send("DELETE", "/aliases/" + enc(arg(rest, 0, "ALIAS")) + "/" + enc(arg(rest, 1, "TARGET")),
                        null));
            }
            case "group list" -> {
                return table(get("/groups?domain=" + enc(arg(rest, 0, "DOMAIN"))), "address", "members");
            }
            case "group add" -> {
                String group = arg(rest, 0, "GROUP");
                StringBuilder members = new StringBuilder();
                for (String m : rest.subList(1, rest.size())) {
                    members.append(members.length() == 0 ? "" : ",").append(quote(m));
                }
                return show(send("POST", "/groups", "{\"address\":" + quote(group) + ",\"members\":[" + members + "]}"));
            }
            case "group member-add" -> {
                return show(send("POST", "/groups/" + enc(arg(rest, 0, "GROUP")) + "/members",
                        json("address", arg(rest, 1, "MEMBER"))));
            }
            case "group member-remove" -> {
                return show(send("DELETE", "/groups/" + enc(arg(rest, 0, "GROUP")) + "/members/"
                        + enc(arg(rest, 1, "MEMBER")), null));
            }
            case "mailbox list" -> {
                return table(get("/accounts/" + enc(arg(rest, 0, "ADDRESS")) + "/mailboxes"),
                        "name", "specialUse", "messages", "sizeBytes", "uidNext", "uidValidity");
            }
            case "send-as list" -> {
                return table(get("/accounts/" + enc(arg(rest, 0, "ACCOUNT")) + "/send-as"), "account", "address");
            }
            case "send-as add" -> {
                return show(send("POST", "/accounts/" + enc(arg(rest, 0, "ACCOUNT")) + "/send-as",
                        json("address", arg(rest, 1, "ADDRESS"))));
            }
            case "send-as remove" -> {
                return show(send("DELETE", "/accounts/" + enc(arg(rest, 0, "ACCOUNT")) + "/send-as/"
                        + enc(arg(rest, 1, "ADDRESS")), null));
            }
            case "shared list" -> {
                return table(get("/domains/" + enc(arg(rest, 0, "DOMAIN")) + "/shared-folders"),
                        "name", "messages", "sizeBytes", "acl");
            }
            case "shared create" -> {
                return show(send("POST", "/domains/" + enc(arg(rest, 0, "DOMAIN")) + "/shared-folders",
                        json("name", arg(rest, 1, "FOLDER"))));
            }
            case "shared delete" -> {
                return show(send("DELETE", "/domains/" + enc(arg(rest, 0, "DOMAIN")) + "/shared-folders?name="
                        + enc(arg(rest, 1, "FOLDER")), null));
            }
            case "shared acl" -> {
                return show(send("PUT", "/domains/" + enc(arg(rest, 0, "DOMAIN")) + "/shared-folders/acl",
                        "{\"name\":" + quote(arg(rest, 1, "FOLDER")) + ",\"identifier\":"
                        + quote(arg(rest, 2, "IDENTIFIER")) + ",\"rights\":" + quote(arg(rest, 3, "RIGHTS")) + "}"));
            }
            case "queue list" -> {
                String limit = option(rest, "--limit");
                return queueList(get("/queue?limit=" + (limit == null ? 100 : Integer.parseInt(limit))));
            }
            case "queue retry", "queue bounce" -> {
                return show(send("POST", "/queue/" + enc(arg(rest, 0, "ID")) + "/" + a[1], null));
            }
            case "queue flush" -> {
                return show(send("POST", "/queue/flush", null));
            }
            case "queue delete" -> {
                return show(send("DELETE", "/queue/" + enc(arg(rest, 0, "ID")), null));
            }
            case "dkim generate" -> {
                String algorithm = option(rest, "--algorithm");
                String selector = option(rest, "--selector");
                String body = "{" + quote("algorithm") + ":" + (algorithm == null ? "null" : quote(algorithm)) + ","
                        + quote("selector") + ":" + (selector == null ? "null" : quote(selector)) + "}";
                return show(send("POST", "/domains/" + enc(arg(rest, 0, "DOMAIN")) + "/dkim", body));
            }
            case "dkim list" -> {
                return table(get("/domains/" + enc(arg(rest, 0, "DOMAIN")) + "/dkim"),
                        "selector", "algorithm", "active", "createdAt", "recordName");
            }
            case "dkim deactivate" -> {
                return show(send("DELETE", "/domains/" + enc(arg(rest, 0, "DOMAIN")) + "/dkim/"
                        + enc(arg(rest, 1, "SELECTOR")), null));
            }
            default -> throw new UsageException("unknown command: " + what);
        }
    }

    // --- HTTP

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization).header("Accept", "application/json");
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    /** A GET answered as text/plain (the DNS records as zone-file lines). */
    private HttpResponse<String> getText(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization).header("Accept", "text/plain").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int showText(HttpResponse<String> r) {
        if (r.statusCode() >= 400) {
            return fail(r);
        }
        System.out.print(r.body());
        return 0;
    }

    /** Prints a success body (or "ok"), or the problem's detail on stderr. */
    private static int show(HttpResponse<String> r) {
        if (r.statusCode() >= 400) {
            return fail(r);
        }
        String body = r.body();
        System.out.println(body == null || body.isBlank() ? "ok" : body);
        return 0;
    }

    private static int table(HttpResponse<String> r, String... columns) {
        if (r.statusCode() >= 400) {
            return fail(r);
        }
        Object parsed = new Json(r.body()).value();
        if (!(parsed instanceof List<?> rows)) {
            System.out.println(r.body());
            return 0;
        }
        List<String[]> lines = new ArrayList<>();
        lines.add(columns);
        for (Object row : rows) {
            Map<?, ?> m = (Map<?, ?>) row;
            String[] cells = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                Object v = m.get(columns[i]);
                cells[i] = v == null ? "-" : v instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList())
                        : v instanceof Map<?, ?> mv ? String.join(" ", mv.entrySet().stream()
                                .map(e -> e.getKey() + "=" + e.getValue()).toList())
                        : v instanceof Double d && d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(v);
            }
            lines.add(cells);
        }
        int[] width = new int[columns.length];
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                width[i] = Math.max(width[i], l[i].length());
            }
        }
        for (String[] l : lines) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < l.length; i++) {
                sb.append(i == 0 ? "" : "  ").append(String.format("%-" + width[i] + "s", l[i]));
            }
            System.out.println(sb.toString().stripTrailing());
        }
        return 0;
    }

    /** One line per queued message, then one indented line per recipient. */
    private static int queueList(HttpResponse<String> r) {
        if (r.statusCode() >= 400) {
            return fail(r);
        }
        if (!(new Json(r.body()).value() instanceof List<?> messages)) {
            System.out.println(r.body());
            return 0;
        }
        if (messages.isEmpty()) {
            System.out.println("queue is empty");
        }
        for (Object o : messages) {
            Map<?, ?> m = (Map<?, ?>) o;
            String sender = String.valueOf(m.get("sender"));
            System.out.printf("%s  <%s>  created %s  %s bytes%n", number(m.get("id")), sender, m.get("created"),
                    number(m.get("size")));
            for (Object ro : (List<?>) m.get("recipients")) {
                Map<?, ?> rc = (Map<?, ?>) ro;
                System.out.printf("    %-40s %-9s attempts %s%s%s%n", rc.get("address"), rc.get("state"),
                        number(rc.get("attempts")), rc.get("nextAttempt") == null ? "" : "  next " + rc.get("nextAttempt"),
                        rc.get("lastError") == null ? "" : "  last: " + rc.get("lastStatus") + " " + rc.get("lastError"));
            }
        }
        return 0;
    }

    private static String number(Object v) {
        return v instanceof Double d && d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(v);
    }

    private static int fail(HttpResponse<String> r) {
        String detail = r.body();
        Object parsed = detail == null || detail.isBlank() ? null : new Json(detail).valueOrNull();
        if (parsed instanceof Map<?, ?> m && m.get("detail") != null) {
            detail = String.valueOf(m.get("detail"));
        }
        System.err.println("error " + r.statusCode() + ": " + detail);
        return 1;
    }

    // --- arguments

    private static String arg(List<String> rest, int i, String name) {
        List<String> positional = rest.stream().filter(s -> !s.startsWith("--")).toList();
        if (i >= positional.size()) {
            throw new UsageException("missing " + name);
        }
        return positional.get(i);
    }

    /** Removes "--name value" from the list and returns the value, or null. */
    private static String option(List<String> rest, String name) {
        int i = rest.indexOf(name);
        if (i < 0) {
            return null;
        }
        if (i + 1 >= rest.size()) {
            throw new UsageException(name + " needs a value");
        }
        String v = rest.remove(i + 1);
        rest.remove(i);
        return v;
    }

    private static String passwordOption(List<String> rest, String prompt) throws IOException {
        String p = option(rest, "--password");
        if (p != null) {
            return p;
        }
        if (rest.remove("--password-stdin")) {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        Console c = System.console();
        if (c == null) {
            throw new UsageException("no password given (--password, --password-stdin) and no terminal to ask");
        }
        return new String(c.readPassword(prompt));
    }

    private static String adminPassword() throws IOException {
        String p = System.getenv("MERPATI_ADMIN_PASSWORD");
        if (p != null && !p.isEmpty()) {
            return p;
        }
        String dataDir = System.getenv("MERPATI_DATA_DIR");
        if (dataDir != null) {
            Path file = Path.of(dataDir, "admin-password");
            if (Files.isReadable(file)) {
                return Files.readString(file).strip();
            }
        }
        Console c = System.console();
        if (c == null) {
            throw new IllegalStateException("set MERPATI_ADMIN_PASSWORD (no terminal to ask for it)");
        }
        return new String(c.readPassword("Administrator password: "));
    }

    private static String env(String key, String fallback) {
        String v = System.getenv(key);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String json(String key, String value) {
        return "{" + quote(key) + ":" + quote(value) + "}";
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /** Just enough JSON reading for the API's answers (objects, arrays, strings, numbers, booleans, null). */
    private static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object valueOrNull() {
            try {
                return value();
            } catch (RuntimeException e) {
                return null;
            }
        }

        Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                ws();
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                do {
                    ws();
                    String k = string();
                    ws();
                    expect(':');
                    m.put(k, value());
                    ws();
                } while (s.charAt(i++) == ',');
                return m;
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                ws();
                if (s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                do {
                    l.add(value());
                    ws();
                } while (s.charAt(i++) == ',');
                return l;
            }
            if (c == '"') {
                return string();
            }
            if (s.startsWith("true", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("false", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (s.startsWith("null", i)) {
                i += 4;
                return null;
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            return Double.parseDouble(s.substring(start, i));
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> sb.append('\n');
                        case 't' -> sb.append('\t');
                        case 'r' -> sb.append('\r');
                        case 'b' -> sb.append('\b');
                        case 'f' -> sb.append('\f');
                        case 'u' -> {
                            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> sb.append(e);
                    }
                } else {
                    sb.append(c);
                }
            }
            i++;
            return sb.toString();
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private void expect(char c) {
            if (s.charAt(i++) != c) {
                throw new IllegalArgumentException("bad JSON at " + (i - 1));
            }
        }
    }
}
