package org.merpati.connector.imap.proto;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.merpati.connector.api.access.Address;
import org.merpati.connector.api.access.MessageData;
import org.merpati.connector.api.access.MessageEnvelope;

/**
 * SORT and THREAD (RFC 5256) computed from fetched envelopes: sort keys, base subject extraction, and the
 * ORDEREDSUBJECT and REFERENCES threading algorithms. The envelope carries In-Reply-To but not References,
 * so REFERENCES links each message to the one it replies to, then groups threads by base subject.
 */
public final class MessageOrdering {

    /** A node of a thread tree. */
    public record Node(long uid, List<Node> children) {
    }

    private MessageOrdering() {
    }

    // ---------------------------------------------------------------- SORT

    public static long[] sort(List<MessageData> messages, List<ImapCommand.SortCriterion> criteria) {
        Comparator<MessageData> order = null;
        for (ImapCommand.SortCriterion c : criteria) {
            Comparator<MessageData> one = comparator(c.key());
            if (c.reverse()) {
                one = one.reversed();
            }
            order = order == null ? one : order.thenComparing(one);
        }
        Comparator<MessageData> total = order == null ? Comparator.comparingLong(MessageData::uid)
            : order.thenComparingLong(MessageData::uid);
        return messages.stream().sorted(total).mapToLong(MessageData::uid).toArray();
    }

    private static Comparator<MessageData> comparator(String key) {
        return switch (key) {
            case "ARRIVAL" -> Comparator.comparing(MessageData::internalDate);
            case "DATE" -> Comparator.comparing(MessageOrdering::sentDate);
            case "SIZE" -> Comparator.comparingLong(MessageData::size);
            case "SUBJECT" -> Comparator.comparing(m -> baseSubject(env(m).subject()));
            case "FROM" -> Comparator.comparing(m -> mailbox(env(m).from()));
            case "TO" -> Comparator.comparing(m -> mailbox(env(m).to()));
            case "CC" -> Comparator.comparing(m -> mailbox(env(m).cc()));
            case "DISPLAYFROM" -> Comparator.comparing(m -> display(env(m).from()));
            case "DISPLAYTO" -> Comparator.comparing(m -> display(env(m).to()));
            default -> throw new IllegalArgumentException(key);
        };
    }

    private static final MessageEnvelope NO_ENVELOPE =
        new MessageEnvelope(null, null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null, null);

    private static MessageEnvelope env(MessageData m) {
        return m.envelope() == null ? NO_ENVELOPE : m.envelope();
    }

    private static String mailbox(List<Address> list) {
        return list.isEmpty() || list.get(0).mailbox() == null ? "" : list.get(0).mailbox().toLowerCase(Locale.ROOT);
    }

    private static String display(List<Address> list) {
        if (list.isEmpty()) {
            return "";
        }
        Address a = list.get(0);
        String name = a.name() == null ? null : decodeWords(a.name()).strip();
        if (name == null || name.isEmpty()) {
            return ((a.mailbox() == null ? "" : a.mailbox()) + "@" + (a.host() == null ? "" : a.host())).toLowerCase(Locale.ROOT);
        }
        return name.toLowerCase(Locale.ROOT);
    }

    /** The Date header as an instant; the internal date when it is missing or unreadable (RFC 5256 section 3). */
    static Instant sentDate(MessageData m) {
        String date = env(m).date();
        if (date != null) {
            String cleaned = date.replaceAll("\\([^)]*\\)", "").replaceAll("\\s+", " ").strip();
            try {
                return ZonedDateTime.parse(cleaned, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (RuntimeException e) {
                // fall through
            }
        }
        return m.internalDate();
    }

    // ---------------------------------------------------------------- base subject

    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?([^?]+)\\?([BbQq])\\?([^?]*)\\?=");
    private static final Pattern LEADER = Pattern.compile("^(?:\\s*\\[[^\\[\\]]*\\])*\\s*(?:re|fwd?)\\s*(?:\\[[^\\[\\]]*\\])?\\s*:\\s*",
        Pattern.CASE_INSENSITIVE);
    private static final Pattern BLOB = Pattern.compile("^\\s*\\[[^\\[\\]]*\\]\\s*");

    /** RFC 5256 section 2.1, upper-cased for comparison. */
    public static String baseSubject(String subject) {
        if (subject == null) {
            return "";
        }
        String s = decodeWords(subject).replaceAll("[\\t\\r\\n ]+", " ").strip();
        boolean again = true;
        while (again) {
            again = false;
            String before;
            do {
                before = s;
                s = s.replaceAll("(?i)\\s*\\(fwd\\)\\s*$", "").strip(); // trailer
            } while (!s.equals(before));
            do {
                before = s;
                Matcher m = LEADER.matcher(s);
                if (m.find()) {
                    s = s.substring(m.end());
                }
                Matcher b = BLOB.matcher(s);
                if (b.find() && b.end() < s.length()) {
                    s = s.substring(b.end());
                }
            } while (!s.equals(before));
            if (s.regionMatches(true, 0, "[fwd:", 0, 5) && s.endsWith("]")) {
                s = s.substring(5, s.length() - 1).strip();
                again = true;
            }
        }
        return s.toUpperCase(Locale.ROOT);
    }

    /** Decodes RFC 2047 encoded words (B and Q); unknown charsets are left as they are. */
    static String decodeWords(String text) {
        Matcher m = ENCODED_WORD.matcher(text);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            String between = text.substring(last, m.start());
            if (!(last > 0 && between.isBlank())) {
                out.append(between);
            }
            try {
                Charset cs = Charset.forName(m.group(1).replaceAll("\\*.*", ""));
                byte[] bytes = m.group(2).equalsIgnoreCase("B") ? java.util.Base64.getMimeDecoder().decode(m.group(3))
                    : qDecode(m.group(3));
                out.append(new String(bytes, cs));
            } catch (RuntimeException e) {
                out.append(m.group());
            }
            last = m.end();
        }
        out.append(text.substring(last));
        return out.toString();
    }

    private static byte[] qDecode(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '_') {
                out.write(' ');
            } else if (c == '=' && i + 2 < s.length()) {
                try {
                    out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                } catch (RuntimeException e) {
                    out.write('=');
                }
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- THREAD

    public static List<Node> threadByOrderedSubject(List<MessageData> messages) {
        Map<String, List<MessageData>> bySubject = new LinkedHashMap<>();
        List<MessageData> sorted = new ArrayList<>(messages);
        sorted.sort(Comparator.comparing(MessageOrdering::sentDate).thenComparingLong(MessageData::uid));
        for (MessageData m : sorted) {
            bySubject.computeIfAbsent(baseSubject(env(m).subject()), k -> new ArrayList<>()).add(m);
        }
        List<Node> threads = new ArrayList<>();
        for (List<MessageData> group : bySubject.values()) {
            List<Node> children = new ArrayList<>();
            for (MessageData m : group.subList(1, group.size())) {
                children.add(new Node(m.uid(), new ArrayList<>()));
            }
            threads.add(new Node(group.get(0).uid(), children));
        }
        return threads; // groups already in order of their first message's date
    }

    public static List<Node> threadByReferences(List<MessageData> messages) {
        List<MessageData> sorted = new ArrayList<>(messages);
        sorted.sort(Comparator.comparing(MessageOrdering::sentDate).thenComparingLong(MessageData::uid));
        Map<String, MessageData> byId = new HashMap<>();
        for (MessageData m : sorted) {
            String id = env(m).messageId();
            if (id != null) {
                byId.putIfAbsent(id.strip(), m);
            }
        }
        Map<Long, Node> nodes = new LinkedHashMap<>();
        for (MessageData m : sorted) {
            nodes.put(m.uid(), new Node(m.uid(), new ArrayList<>()));
        }
        Map<Long, MessageData> byUid = new HashMap<>();
        sorted.forEach(m -> byUid.put(m.uid(), m));
        List<Node> roots = new ArrayList<>();
        for (MessageData m : sorted) {
            MessageData parent = parentOf(m, byId);
            if (parent != null && parent != m && !isAncestor(m, parent, byId)) {
                nodes.get(parent.uid()).children().add(nodes.get(m.uid()));
            } else {
                roots.add(nodes.get(m.uid()));
            }
        }
        // group root threads by base subject (RFC 5256 REFERENCES step 5, simplified)
        Map<String, Node> bySubject = new LinkedHashMap<>();
        List<Node> out = new ArrayList<>();
        for (Node root : roots) {
            String subject = baseSubject(env(byUid.get(root.uid())).subject());
            Node first = subject.isEmpty() ? null : bySubject.get(subject);
            if (first == null) {
                if (!subject.isEmpty()) {
                    bySubject.put(subject, root);
                }
                out.add(root);
            } else {
                first.children().add(root);
            }
        }
        return out;
    }

    private static MessageData parentOf(MessageData m, Map<String, MessageData> byId) {
        String inReplyTo = env(m).inReplyTo();
        if (inReplyTo == null) {
            return null;
        }
        Matcher ids = Pattern.compile("<[^>]+>").matcher(inReplyTo);
        String last = null;
        while (ids.find()) {
            last = ids.group();
        }
        return last == null ? null : byId.get(last);
    }

    private static boolean isAncestor(MessageData m, MessageData candidate, Map<String, MessageData> byId) {
        MessageData p = candidate;
        for (int depth = 0; p != null && depth < 1000; depth++) {
            if (p == m) {
                return true;
            }
            p = parentOf(p, byId);
        }
        return false;
    }

    /** The THREAD response body: {@code (1 2 (3)(4))(5)}. */
    public static String render(List<Node> threads, LongUnaryOperator number) {
        StringBuilder sb = new StringBuilder();
        for (Node t : threads) {
            sb.append('(');
            renderChain(t, number, sb);
            sb.append(')');
        }
        return sb.toString();
    }

    private static void renderChain(Node node, LongUnaryOperator number, StringBuilder sb) {
        sb.append(number.applyAsLong(node.uid()));
        if (node.children().size() == 1) {
            sb.append(' ');
            renderChain(node.children().get(0), number, sb);
        } else if (node.children().size() > 1) {
            sb.append(' ');
            for (Node child : node.children()) {
                sb.append('(');
                renderChain(child, number, sb);
                sb.append(')');
            }
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
