package org.merpati.connector.imap.proto;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.merpati.connector.api.access.MailAccessListener;
import org.merpati.connector.api.access.MailboxInfo;

/**
 * LIST and LSUB (RFC 9051 section 6.3.9, RFC 5258 LIST-EXTENDED, RFC 6154 SPECIAL-USE) over the flat list of
 * mailboxes the endpoint returns: pattern matching, child attributes, parents that exist only as a
 * hierarchy level, selection and return options.
 */
public final class MailboxLister {

    private static final char DELIMITER = MailAccessListener.HIERARCHY_DELIMITER;

    /** One LIST response: a mailbox, or (info null) a level of the hierarchy that is no mailbox. */
    public record Entry(String name, MailboxInfo info, boolean hasChildren) {
    }

    private MailboxLister() {
    }

    public static List<Entry> list(List<MailboxInfo> all, ImapCommand.ListMailboxes c) {
        Map<String, MailboxInfo> byName = new TreeMap<>(ImapSession.inboxFirst());
        for (MailboxInfo m : all) {
            byName.put(m.name(), m);
        }
        Set<String> names = new java.util.TreeSet<>(ImapSession.inboxFirst());
        for (String name : byName.keySet()) {
            names.add(name);
            int i = name.indexOf(DELIMITER);
            while (i > 0) {
                names.add(name.substring(0, i)); // a parent level, mailbox or not
                i = name.indexOf(DELIMITER, i + 1);
            }
        }
        boolean subscribedOnly = c.lsub() || c.selection().contains("SUBSCRIBED");
        boolean specialOnly = c.selection().contains("SPECIAL-USE");
        List<MailboxPattern> patterns = new ArrayList<>();
        for (String p : c.patterns()) {
            patterns.add(new MailboxPattern(c.reference(), p, DELIMITER));
        }
        List<Entry> out = new ArrayList<>();
        for (String name : names) {
            if (patterns.stream().noneMatch(p -> p.matches(name))) {
                continue;
            }
            MailboxInfo info = byName.get(name);
            if (subscribedOnly && (info == null || !info.subscribed())) {
                continue;
            }
            if (specialOnly && (info == null || info.specialUse() == null)) {
                continue;
            }
            String prefix = name + DELIMITER;
            boolean children = names.stream().anyMatch(n -> n.startsWith(prefix));
            out.add(new Entry(name, info, children));
        }
        return out;
    }

    /** The {@code * LIST} (or LSUB) line of an entry. */
    public static byte[] render(Entry e, ImapCommand.ListMailboxes c, boolean utf8) {
        List<String> attributes = new ArrayList<>();
        if (e.info() == null) {
            attributes.add("\\Noselect");
        }
        if (!c.lsub()) {
            attributes.add(e.hasChildren() ? "\\HasChildren" : "\\HasNoChildren");
            boolean showSubscribed = c.returns().contains("SUBSCRIBED") || c.selection().contains("SUBSCRIBED");
            if (showSubscribed && e.info() != null && e.info().subscribed()) {
                attributes.add("\\Subscribed");
            }
            if (e.info() != null && e.info().specialUse() != null) {
                attributes.add(e.info().specialUse());
            }
        }
        return new ResponseBuilder(utf8).raw(c.lsub() ? "* LSUB (" : "* LIST (").raw(String.join(" ", attributes))
            .raw(") \"" + DELIMITER + "\" ").mailbox(e.name()).crlf().toBytes();
    }
}
