package org.merpati.connector.pop3.proto;

import java.util.List;

import org.merpati.connector.api.access.MessageData;

/**
 * The messages of one POP3 session, numbered 1..n in UID order when the maildrop was opened and fixed for the
 * session (RFC 1939 section 4), with the session's deletion marks. Deletion marks stay here until QUIT.
 */
public final class Maildrop {

    private final long mailboxId;
    private final long uidValidity;
    private final List<MessageData> messages;
    private final boolean[] deleted;

    public Maildrop(long mailboxId, long uidValidity, List<MessageData> messages) {
        this.mailboxId = mailboxId;
        this.uidValidity = uidValidity;
        this.messages = List.copyOf(messages);
        this.deleted = new boolean[this.messages.size()];
    }

    public long mailboxId() {
        return mailboxId;
    }

    /** Message numbers run from 1 to this, deleted ones included. */
    public int size() {
        return messages.size();
    }

    /** Why {@code number} cannot be used, or null when it names a message not marked deleted. */
    public Pop3Reply refusal(int number) {
        if (number < 1 || number > messages.size()) {
            return Pop3Reply.err("no such message, only " + messages.size() + " messages in maildrop");
        }
        if (deleted[number - 1]) {
            return Pop3Reply.err("message " + number + " already deleted");
        }
        return null;
    }

    public MessageData message(int number) {
        return messages.get(number - 1);
    }

    public boolean isDeleted(int number) {
        return deleted[number - 1];
    }

    public void delete(int number) {
        deleted[number - 1] = true;
    }

    /** RSET: unmark every message. */
    public void undeleteAll() {
        java.util.Arrays.fill(deleted, false);
    }

    /** Messages not marked deleted. */
    public int liveCount() {
        int n = 0;
        for (boolean d : deleted) {
            n += d ? 0 : 1;
        }
        return n;
    }

    /** Total size of the messages not marked deleted. */
    public long liveSize() {
        long total = 0;
        for (int i = 0; i < deleted.length; i++) {
            total += deleted[i] ? 0 : messages.get(i).size();
        }
        return total;
    }

    /**
     * The unique-id of a message (RFC 1939 section 7): {@code <uidValidity>.<uid>}, printable ASCII, unique
     * and stable as long as the mailbox keeps its UIDVALIDITY.
     */
    public String uniqueId(int number) {
        return uidValidity + "." + messages.get(number - 1).uid();
    }

    /** UIDs of the messages marked deleted, ascending (the maildrop is in UID order). */
    public long[] deletedUids() {
        return java.util.stream.IntStream.range(0, deleted.length).filter(i -> deleted[i])
            .mapToLong(i -> messages.get(i).uid()).toArray();
    }
}
