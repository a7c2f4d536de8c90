package org.merpati.connector.imap.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.merpati.connector.api.access.MailboxChanges;
import org.merpati.connector.api.access.MessageFlags;

class SelectedMailboxTest {

    /** Messages 1, 2, 3 (UIDs 10, 20, 30), up to date with MODSEQ 100. */
    private static SelectedMailbox mailbox() {
        return new SelectedMailbox(7, "INBOX", 1, false, new long[] {10, 20, 30}, 31, 100, Set.of());
    }

    @Test
    void anOwnChangeRightAfterTheKnownModseqNeedsNoPollAnyOtherDoes() {
        SelectedMailbox m = mailbox();
        assertFalse(m.ownChange(102), "101 may be someone else's change the session has not seen");
        assertEquals(100, m.highestModseq());
        assertFalse(m.ownChange(100), "not a new change");
        assertTrue(m.ownChange(101));
        assertEquals(101, m.highestModseq());
        assertTrue(m.ownChange(102), "the next own change follows on");
        assertEquals(102, m.highestModseq());
    }

    @Test
    void aFlagChangeReportedByTheSessionIsNotRepeatedByThePollUnlessChangedAgain() {
        SelectedMailbox m = mailbox();
        m.reported(new MessageFlags(20, 101, Set.of("\\Seen")));
        m.record(new MailboxChanges(101, 31, List.of(new MessageFlags(20, 101, Set.of("\\Seen"))), new long[0]));
        assertFalse(m.hasPending());
        assertEquals(List.of(), m.drain(true, false, false));
        m.record(new MailboxChanges(102, 31, List.of(new MessageFlags(20, 102, Set.of("\\Flagged"))),
            new long[0]));
        assertEquals(List.of("* 2 FETCH (UID 20 FLAGS (\\Flagged))"), m.drain(true, false, false));
    }

    @Test
    void anExpungeHeldBackStaysPendingWhileNewMessagesAndFlagsGoOut() {
        SelectedMailbox m = mailbox();
        m.record(new MailboxChanges(103, 41, List.of(new MessageFlags(40, 103, Set.of()),
            new MessageFlags(30, 102, Set.of("\\Answered"))), new long[] {10}));
        assertTrue(m.hasPending());
        assertEquals(List.of("* 4 EXISTS", "* 3 FETCH (UID 30 FLAGS (\\Answered))"), m.drain(false, false, false));
        assertTrue(m.hasPending(), "the expunge waits for a command that may receive it");
        assertEquals(List.of("* 1 EXPUNGE"), m.drain(true, false, false));
        assertFalse(m.hasPending());
        assertEquals(3, m.exists());
        assertEquals(20, m.uidAt(1));
    }
}
