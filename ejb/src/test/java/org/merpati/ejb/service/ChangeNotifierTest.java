package org.merpati.ejb.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;
import org.merpati.connector.api.access.MailboxChangeBus;

class ChangeNotifierTest {

    /** A registry of one transaction that the test completes by hand. */
    private static final class FakeRegistry implements TransactionSynchronizationRegistry {
        final Map<Object, Object> resources = new HashMap<>();
        final List<Synchronization> synchronizations = new ArrayList<>();
        Object key = new Object();

        void complete(int status) {
            synchronizations.forEach(s -> s.afterCompletion(status));
        }

        @Override
        public Object getTransactionKey() {
            return key;
        }

        @Override
        public void putResource(Object k, Object value) {
            resources.put(k, value);
        }

        @Override
        public Object getResource(Object k) {
            return resources.get(k);
        }

        @Override
        public void registerInterposedSynchronization(Synchronization sync) {
            synchronizations.add(sync);
        }

        @Override
        public int getTransactionStatus() {
            return Status.STATUS_ACTIVE;
        }

        @Override
        public void setRollbackOnly() {
        }

        @Override
        public boolean getRollbackOnly() {
            return false;
        }
    }

    @Test
    void publishesHighestModseqOnlyAfterCommit() {
        List<Long> heard = new CopyOnWriteArrayList<>();
        LongConsumer listener = heard::add;
        MailboxChangeBus.subscribe(-7, listener);
        try {
            FakeRegistry committed = new FakeRegistry();
            ChangeNotifier notifier = new ChangeNotifier(committed);
            notifier.mailboxChanged(-7, 5);
            notifier.mailboxChanged(-7, 6);
            assertEquals(List.of(), heard, "nothing before the commit");
            assertEquals(1, committed.synchronizations.size(), "one synchronization per transaction");
            committed.complete(Status.STATUS_COMMITTED);
            assertEquals(List.of(6L), heard);

            FakeRegistry rolledBack = new FakeRegistry();
            new ChangeNotifier(rolledBack).mailboxChanged(-7, 9);
            rolledBack.complete(Status.STATUS_ROLLEDBACK);
            assertEquals(List.of(6L), heard, "a rolled-back change is not announced");

            FakeRegistry noTransaction = new FakeRegistry();
            noTransaction.key = null;
            new ChangeNotifier(noTransaction).mailboxChanged(-7, 10);
            ChangeNotifier.immediate().mailboxChanged(-7, 11);
            assertEquals(List.of(6L, 10L, 11L), heard, "outside a transaction: at once");
        } finally {
            MailboxChangeBus.unsubscribe(-7, listener);
        }
    }

    @Test
    void aFailingListenerDoesNotFailThePublisher() {
        LongConsumer failing = m -> {
            throw new IllegalStateException("boom");
        };
        MailboxChangeBus.subscribe(-8, failing);
        try {
            ChangeNotifier.immediate().mailboxChanged(-8, 1);
        } finally {
            MailboxChangeBus.unsubscribe(-8, failing);
        }
    }
}
