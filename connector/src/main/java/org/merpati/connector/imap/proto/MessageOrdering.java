package org.merpati.connector.imap.proto;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.merpati.connector.api.access.Address;
import org.merpati.connector.api.access.MessageData;
import org.merpati.connector.api.access.MessageEnvelope;

/**
 * SORT and THREAD (RFC 5256) computed from fetched envelopes: sort keys, base subject extraction, and the
 * ORDEREDSUBJECT and REFERENCES threading algorithms. REFERENCES is steps 1 to 6 of RFC 5256 section 2.2 (the
 * JWZ algorithm): the envelope carries In-Reply-To but not References, so References is read from the header
 * block of each message file ({@link ReferencesReader}, bounded), In-Reply-To standing in when it is absent.
 */
public final class MessageOrdering {

    /**
     * A node of a thread tree. A dummy (uid {@link #DUMMY}, never a real UID) stands for a missing parent that
     * groups several threads at the top level; it has at least two children.
     */
    public record Node(long uid, List<Node> children) {
        /** The uid of a dummy node: UIDs start at 1. */
        public static final long DUMMY = 0;

        public boolean isDummy() {
            return uid == DUMMY;
        }
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
        return extractSubject(subject).base();
    }

    /** A base subject, and whether extracting it removed a reply or forward marker (RFC 5256 section 2.1). */
    record Subject(String base, boolean replyOrForward) {
    }

    static Subject extractSubject(String subject) {
        if (subject == null) {
            return new Subject("", false);
        }
        String s = decodeWords(subject).replaceAll("[\\t\\r\\n ]+", " ").strip();
        boolean replyOrForward = false;
        boolean again = true;
        while (again) {
            again = false;
            String before;
            do {
                before = s;
                s = s.replaceAll("(?i)\\s*\\(fwd\\)\\s*$", "").strip(); // trailer
                replyOrForward |= !s.equals(before);
            } while (!s.equals(before));
            do {
                before = s;
                Matcher m = LEADER.matcher(s);
                if (m.find()) {
                    s = s.substring(m.end());
                    replyOrForward = true;
                }
                Matcher b = BLOB.matcher(s);
                if (b.find() && b.end() < s.length()) {
                    s = s.substring(b.end());
                }
            } while (!s.equals(before));
            if (s.regionMatches(true, 0, "[fwd:", 0, 5) && s.endsWith("]")) {
                s = s.substring(5, s.length() - 1).strip();
                replyOrForward = true;
                again = true;
            }
        }
        return new Subject(s.toUpperCase(Locale.ROOT), replyOrForward);
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

    /**
     * THREAD=REFERENCES (RFC 5256 section 2.2). The parent chain of each message is its References header,
     * read from the message file, or the first msg-id of In-Reply-To when References is absent, has no valid
     * msg-id, or the file cannot be read.
     */
    public static List<Node> threadByReferences(List<MessageData> messages) {
        return threadByReferences(messages,
            m -> m.blobPath() == null ? null : ReferencesReader.references(Path.of(m.blobPath())));
    }

    /** THREAD=REFERENCES with the References header of each message given by {@code referencesHeader} (null: absent). */
    static List<Node> threadByReferences(List<MessageData> messages, Function<MessageData, String> referencesHeader) {
        List<MessageData> inOrder = new ArrayList<>(messages);
        inOrder.sort(Comparator.comparingLong(MessageData::uid)); // "first" duplicate = lowest sequence number
        Map<String, Container> idTable = new HashMap<>();
        List<Container> all = new ArrayList<>();
        // step 1: link messages through their references
        for (MessageData m : inOrder) {
            Container own = null;
            List<String> ownIds = ReferencesReader.messageIds(env(m).messageId());
            if (!ownIds.isEmpty()) {
                Container c = idTable.computeIfAbsent(ownIds.get(0), k -> newContainer(all));
                if (c.message == null) {
                    own = c;
                }
            }
            if (own == null) {
                // no Message-ID, or one already taken: a unique id nobody can refer to
                own = newContainer(all);
            }
            own.message = m;
            Instant sent = sentDate(m);
            own.sent = sent == null ? Instant.EPOCH : sent;
            // 1.A: each reference is the parent of the next, keeping links already made and never making a loop
            Container previous = null;
            for (String ref : parentChain(m, referencesHeader)) {
                Container c = idTable.computeIfAbsent(ref, k -> newContainer(all));
                if (previous != null && c.parent == null && !wouldLoop(previous, c)) {
                    link(previous, c);
                }
                previous = c;
            }
            // 1.B: the last reference is the message's parent, replacing what a truncated References implied
            if (own.parent != null) {
                own.parent.children.remove(own);
                own.parent = null;
            }
            if (previous != null && !wouldLoop(previous, own)) {
                link(previous, own);
            }
        }
        limitDepth(all);
        // step 2: the root set (the id table is no longer needed)
        List<Container> roots = new ArrayList<>();
        for (Container c : all) {
            if (c.parent == null) {
                roots.add(c);
            }
        }
        // step 3: prune dummies
        roots = prune(roots, true);
        // step 4: sort the root set, a dummy by its first child
        for (Container c : roots) {
            if (c.message == null) {
                c.children.sort(BY_SENT_DATE);
            }
        }
        roots.sort(BY_SENT_DATE);
        // step 5: merge threads with the same base subject
        roots = groupBySubject(roots);
        // step 6: sort every set of siblings, deepest first
        sortTree(roots);
        List<Node> threads = new ArrayList<>(roots.size());
        for (Container c : roots) {
            threads.add(c.toNode());
        }
        return threads;
    }

    /** A message, or a dummy standing for a referenced message that is not in the set. */
    private static final class Container {
        MessageData message;
        Instant sent;
        Container parent;
        final List<Container> children = new ArrayList<>();

        Container firstMessage() {
            return message != null || children.isEmpty() ? this : children.get(0).firstMessage();
        }

        Subject subject() {
            Container first = firstMessage();
            return first.message == null ? new Subject("", false) : extractSubject(env(first.message).subject());
        }

        Node toNode() {
            List<Node> nodes = new ArrayList<>(children.size());
            for (Container c : children) {
                nodes.add(c.toNode());
            }
            return new Node(message == null ? Node.DUMMY : message.uid(), nodes);
        }
    }

    // sent date, then sequence (UID) order; a dummy sorts as its first child (RFC 5256 steps 4 and 6)
    private static final Comparator<Container> BY_SENT_DATE = (a, b) -> {
        Container x = a.firstMessage();
        Container y = b.firstMessage();
        if (x.message == null || y.message == null) {
            return Boolean.compare(x.message == null, y.message == null);
        }
        int byDate = x.sent.compareTo(y.sent);
        return byDate != 0 ? byDate : Long.compare(x.message.uid(), y.message.uid());
    };

    private static Container newContainer(List<Container> all) {
        Container c = new Container();
        all.add(c);
        return c;
    }

    private static List<String> parentChain(MessageData m, Function<MessageData, String> referencesHeader) {
        List<String> references = ReferencesReader.messageIds(referencesHeader.apply(m));
        if (!references.isEmpty()) {
            return references;
        }
        List<String> inReplyTo = ReferencesReader.messageIds(env(m).inReplyTo());
        return inReplyTo.isEmpty() ? List.of() : List.of(inReplyTo.get(0));
    }

    /** Deepest nesting of a thread: the later steps recurse over the tree. */
    static final int MAX_DEPTH = 256;

    /**
     * A message deeper than {@link #MAX_DEPTH} starts a thread of its own, so that a crafted chain of References
     * cannot exhaust the stack of the steps that recurse. Detaching only makes other containers shallower, so
     * one pass in any order leaves every container within the bound.
     */
    private static void limitDepth(List<Container> all) {
        for (Container c : all) {
            int depth = 0;
            for (Container p = c.parent; p != null && depth <= MAX_DEPTH; p = p.parent) {
                depth++;
            }
            if (depth > MAX_DEPTH) {
                c.parent.children.remove(c);
                c.parent = null;
            }
        }
    }

    // whether making parent the parent of child would make a loop: parent is child or one of its descendants
    private static boolean wouldLoop(Container parent, Container child) {
        for (Container p = parent; p != null; p = p.parent) {
            if (p == child) {
                return true;
            }
        }
        return false;
    }

    private static void link(Container parent, Container child) {
        child.parent = parent;
        parent.children.add(child);
    }

    // step 3: a dummy without children goes; a dummy's children take its place, except that several
    // children of a root-level dummy stay under it rather than each become a root
    private static List<Container> prune(List<Container> siblings, boolean root) {
        List<Container> out = new ArrayList<>(siblings.size());
        for (Container c : siblings) {
            List<Container> kept = prune(c.children, false);
            c.children.clear();
            c.children.addAll(kept);
            if (c.message != null || (root && c.children.size() > 1)) {
                out.add(c);
            } else {
                for (Container child : c.children) {
                    child.parent = c.parent;
                    out.add(child);
                }
                c.children.clear();
            }
        }
        for (Container c : out) {
            if (root) {
                c.parent = null;
            }
        }
        return out;
    }

    // step 5
    private static List<Container> groupBySubject(List<Container> roots) {
        Map<String, Container> table = new HashMap<>();
        for (Container c : roots) {
            Subject subject = c.subject();
            if (subject.base().isEmpty()) {
                continue;
            }
            Container old = table.get(subject.base());
            if (old == null || (old.message != null
                && (c.message == null || (old.subject().replyOrForward() && !subject.replyOrForward())))) {
                table.put(subject.base(), c);
            }
        }
        // merged roots leave the root set; a root merged with a sibling into a new dummy is replaced by it
        Map<Container, Container> replaced = new IdentityHashMap<>();
        for (Container c : roots) {
            Subject subject = c.subject();
            if (subject.base().isEmpty()) {
                continue;
            }
            Container old = table.get(subject.base());
            if (old == c) {
                continue;
            }
            replaced.put(c, null);
            if (old.message == null && c.message == null) {
                for (Container child : c.children) {
                    link(old, child);
                }
                c.children.clear();
            } else if (old.message == null || (subject.replyOrForward() && !old.subject().replyOrForward())) {
                link(old, c);
            } else {
                Container dummy = new Container();
                replaced.put(old, dummy);
                link(dummy, old);
                link(dummy, c);
                table.put(subject.base(), dummy);
            }
        }
        List<Container> out = new ArrayList<>(roots.size());
        for (Container c : roots) {
            Container now = replaced.containsKey(c) ? replaced.get(c) : c;
            if (now != null) {
                out.add(now);
            }
        }
        return out;
    }

    // step 6: children before their parents, so that a dummy sorts by its already first child
    private static void sortTree(List<Container> siblings) {
        for (Container c : siblings) {
            sortTree(c.children);
        }
        siblings.sort(BY_SENT_DATE);
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
        if (node.isDummy()) {
            // a dummy has no number of its own: its threads are nested, "((3)(5))"
            for (Node child : node.children()) {
                sb.append('(');
                renderChain(child, number, sb);
                sb.append(')');
            }
            return;
        }
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
