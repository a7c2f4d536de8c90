package org.merpati.connector.imap.proto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.merpati.connector.api.access.MailboxChanges;
import org.merpati.connector.api.access.MailboxRights;
import org.merpati.connector.api.access.MessageFlags;

/**
 * The selected mailbox as this client knows it: the message sequence number map (MSN n is
 * {@code uids[n-1]}) and the changes other sessions made that the client has not been told yet. Changes are
 * recorded as they are learnt and turned into untagged responses only when the session says it may
 * ({@link #drain}), which is how EXPUNGE is held back during commands that use sequence numbers.
 */
public final class SelectedMailbox {

    private final long id;
    private final String name;
    private final long uidValidity;
    private final boolean readOnly;
    private long[] uids;
    private int count;
    private long uidNext;
    private long highestModseq;
    private final Set<String> keywords = new TreeSet<>();
    private boolean keywordsChanged;
    /** The user's rights here: which flags PERMANENTFLAGS may list (RFC 4314 section 5.1.1). */
    private MailboxRights rights = MailboxRights.ALL;

    /** Changes learnt and not yet told; null while there are none, so that an idle session stays small. */
    private Pending pending;
    /** MODSEQs of flag changes this session already reported itself, so a poll does not repeat them; or null. */
    private Map<Long, Long> reported;

    /** What {@link #drain} will tell the client. */
    private static final class Pending {
        final TreeSet<Long> expunged = new TreeSet<>();
        final List<Long> added = new ArrayList<>();
        final Map<Long, MessageFlags> flags = new LinkedHashMap<>();

        boolean isEmpty() {
            return expunged.isEmpty() && added.isEmpty() && flags.isEmpty();
        }
    }

    public SelectedMailbox(long id, String name, long uidValidity, boolean readOnly, long[] uids, long uidNext,
                           long highestModseq, Set<String> keywords) {
        this.id = id;
        this.name = name;
        this.uidValidity = uidValidity;
        this.readOnly = readOnly;
        this.uids = uids.clone();
        Arrays.sort(this.uids);
        this.count = this.uids.length;
        this.uidNext = uidNext;
        this.highestModseq = highestModseq;
        this.keywords.addAll(keywords);
    }

    /** Sets the user's rights on the mailbox (every right unless it is another user's). */
    public void rights(MailboxRights rights) {
        this.rights = rights;
    }

    public long id() {
        return id;
    }

    public String name() {
        return name;
    }

    public long uidValidity() {
        return uidValidity;
    }

    public boolean readOnly() {
        return readOnly;
    }

    public long uidNext() {
        return uidNext;
    }

    public long highestModseq() {
        return highestModseq;
    }

    /** Messages the client knows of (EXISTS). */
    public int exists() {
        return count;
    }

    public Set<String> keywords() {
        return keywords;
    }

    /** UID of MSN {@code msn}, or 0. */
    public long uidAt(long msn) {
        return msn >= 1 && msn <= count ? uids[(int) msn - 1] : 0;
    }

    /** MSN of a UID, or 0 when unknown. */
    public int msnOf(long uid) {
        int i = Arrays.binarySearch(uids, 0, count, uid);
        return i >= 0 ? i + 1 : 0;
    }

    public long largestUid() {
        return count == 0 ? 0 : uids[count - 1];
    }

    /** Known UIDs ascending. */
    public long[] allUids() {
        return Arrays.copyOf(uids, count);
    }

    /** UIDs of the messages a set of sequence numbers names (out of range numbers are dropped). */
    public long[] resolveMsns(SequenceSet set) {
        long[][] ranges = set.resolve(count);
        List<Long> out = new ArrayList<>();
        for (long[] r : ranges) {
            for (long n = Math.max(1, r[0]); n <= Math.min(count, r[1]); n++) {
                out.add(uids[(int) n - 1]);
            }
        }
        return SequenceSet.sortedDistinct(out.stream().mapToLong(Long::longValue).toArray());
    }

    /** Known UIDs within a UID set ({@code *} is the largest UID in the mailbox). */
    public long[] resolveUids(SequenceSet set) {
        long[][] ranges = set.resolve(largestUid());
        return Arrays.stream(uids, 0, count).filter(u -> SequenceSet.contains(ranges, u)).toArray();
    }

    /** The UID ranges of a UID set, for SEARCH (not limited to known UIDs). */
    public long[][] uidRanges(SequenceSet set) {
        return set.resolve(largestUid());
    }

    // ---------------------------------------------------------------- changes

    /** Records changes learnt from {@code changesSince}; nothing is sent yet. */
    public void record(MailboxChanges changes) {
        Pending p = pending();
        for (long uid : changes.expunged()) {
            if (msnOf(uid) > 0) {
                p.expunged.add(uid);
                p.flags.remove(uid);
            }
            p.added.remove(uid);
        }
        Set<Long> expunged = new TreeSet<>();
        for (long uid : changes.expunged()) {
            expunged.add(uid);
        }
        for (MessageFlags f : changes.changed()) {
            if (expunged.contains(f.uid())) {
                continue;
            }
            for (String flag : f.flags()) {
                if (!flag.startsWith("\\") && keywords.add(flag)) {
                    keywordsChanged = true;
                }
            }
            if (msnOf(f.uid()) > 0) {
                Long seen = reported == null ? null : reported.get(f.uid());
                if (seen == null || f.modseq() > seen) {
                    p.flags.put(f.uid(), f);
                }
            } else if (f.uid() > largestUid() && !p.added.contains(f.uid())) {
                p.added.add(f.uid());
            }
        }
        p.added.sort(null);
        reported = null;
        releaseIfEmpty();
        highestModseq = Math.max(highestModseq, changes.highestModseq());
        uidNext = Math.max(uidNext, changes.uidNext());
    }

    /** Notes flags this session reported in a FETCH response of its own. */
    public void reported(MessageFlags flags) {
        // highestModseq stays: others may have changed messages below this MODSEQ, and the next poll must see them
        if (reported == null) {
            reported = new LinkedHashMap<>();
        }
        reported.put(flags.uid(), flags.modseq());
        if (pending != null) {
            pending.flags.remove(flags.uid());
        }
        for (String flag : flags.flags()) {
            if (!flag.startsWith("\\") && keywords.add(flag)) {
                keywordsChanged = true;
            }
        }
    }

    /**
     * A change this session made itself at {@code modseq}. When that MODSEQ directly follows the one the session is
     * up to date with, nothing lies between them: MODSEQs are handed out under the mailbox lock, which is held to
     * the commit. The session is then up to date with its own change too and need not ask the store.
     *
     * @return whether the session is now up to date with {@code modseq}
     */
    public boolean ownChange(long modseq) {
        if (modseq != highestModseq + 1) {
            return false;
        }
        highestModseq = modseq;
        reported = null; // the next poll starts above every MODSEQ noted there
        return true;
    }

    /** Removes UIDs this session expunged itself; @return their MSNs in descending order (for EXPUNGE). */
    public int[] expunged(long[] expungedUids) {
        List<Integer> msns = new ArrayList<>();
        for (long uid : expungedUids) {
            int msn = msnOf(uid);
            if (msn > 0) {
                msns.add(msn);
            }
            if (pending != null) {
                pending.expunged.remove(uid);
                pending.flags.remove(uid);
            }
        }
        releaseIfEmpty();
        msns.sort((a, b) -> b - a);
        for (int msn : msns) {
            System.arraycopy(uids, msn, uids, msn - 1, count - msn);
            count--;
        }
        return msns.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A message this session added (APPEND, COPY into itself) becomes known at the next drain. */
    public void added(long uid) {
        if (uid > largestUid() && (pending == null || !pending.added.contains(uid))) {
            Pending p = pending();
            p.added.add(uid);
            p.added.sort(null);
        }
        uidNext = Math.max(uidNext, uid + 1);
    }

    public boolean hasPending() {
        return pending != null || keywordsChanged;
    }

    private Pending pending() {
        if (pending == null) {
            pending = new Pending();
        }
        return pending;
    }

    private void releaseIfEmpty() {
        if (pending != null && pending.isEmpty()) {
            pending = null;
        }
    }

    /**
     * The untagged responses for what the client has not been told, and forgets them.
     *
     * @param allowExpunge whether EXPUNGE/VANISHED may be sent now
     * @param vanished     whether to use VANISHED (QRESYNC enabled) instead of EXPUNGE
     * @param modseq       whether to include MODSEQ in FETCH responses (CONDSTORE enabled)
     */
    public List<String> drain(boolean allowExpunge, boolean vanished, boolean modseq) {
        List<String> out = new ArrayList<>();
        if (keywordsChanged) {
            keywordsChanged = false;
            out.add("* FLAGS (" + String.join(" ", flagsList()) + ")");
            if (!readOnly) {
                out.add("* OK [PERMANENTFLAGS (" + ImapSession.permanentFlags(flagsList(), rights) + ")] flags");
            }
        }
        Pending p = pending;
        if (p == null) {
            return out;
        }
        if (allowExpunge && !p.expunged.isEmpty()) {
            long[] gone = p.expunged.stream().mapToLong(Long::longValue).toArray();
            p.expunged.clear();
            int[] msns = expunged(gone);
            if (vanished) {
                out.add("* VANISHED " + SequenceSet.format(gone));
            } else {
                for (int msn : msns) {
                    out.add("* " + msn + " EXPUNGE");
                }
            }
        }
        if (!p.added.isEmpty()) {
            for (long uid : p.added) {
                if (uid > largestUid()) {
                    if (count == uids.length) {
                        uids = Arrays.copyOf(uids, Math.max(16, count * 2));
                    }
                    uids[count++] = uid;
                }
            }
            p.added.clear();
            out.add("* " + count + " EXISTS");
        }
        for (MessageFlags f : p.flags.values()) {
            int msn = msnOf(f.uid());
            if (msn > 0) {
                out.add("* " + msn + " FETCH (UID " + f.uid() + " FLAGS (" + String.join(" ", f.flags()) + ")"
                    + (modseq ? " MODSEQ (" + f.modseq() + ")" : "") + ")");
            }
        }
        p.flags.clear();
        pending = p.isEmpty() ? null : p; // expunges held back stay
        return out;
    }

    /** The FLAGS response content: system flags and the keywords in use. */
    public List<String> flagsList() {
        List<String> all = new ArrayList<>(List.of("\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft"));
        all.addAll(keywords);
        return all;
    }
}
