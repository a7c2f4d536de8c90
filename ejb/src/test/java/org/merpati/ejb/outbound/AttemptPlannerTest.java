package org.merpati.ejb.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.merpati.connector.api.Recipient;
import org.merpati.ejb.outbound.RecipientOutcome.Status;
import org.merpati.ejb.outbound.dsn.DsnRecipient;
import org.merpati.ejb.outbound.dsn.DsnRecipient.Action;
import org.merpati.ejb.storage.jpa.OutboundRecipientEntity.State;

/** The MDB's decisions after an attempt: what is recorded, when the next attempt is, which DSN goes out. */
class AttemptPlannerTest {

    private static final Instant CREATED = Instant.parse("2026-12-01T08:00:00Z");
    private static final Instant EXPIRES = CREATED.plus(Duration.ofDays(5));
    private final AttemptPlanner planner = new AttemptPlanner(RetrySchedule.parse("K", "5m,10m,1h"),
            Duration.ofHours(4));

    private static QueuedMessage message(String sender) {
        return new QueuedMessage(7, "ab".repeat(32), sender, "8BITMIME", false, "HDRS", "env1", 1234, CREATED,
                EXPIRES);
    }

    private static QueuedRecipient recipient(String notify, int attempts, boolean delayNotified) {
        return new QueuedRecipient(11, "bob@remote.example", "remote.example", notify, "rfc822;bob@remote.example",
                attempts, delayNotified, 4);
    }

    private static RecipientOutcome outcome(Status status, String code, String text) {
        return new RecipientOutcome(new Recipient("bob@remote.example", null, null), status, code, text, true,
                "mx.remote.example [192.0.2.1]");
    }

    /**
     * @param notify     the recipient's NOTIFY
     * @param status     the attempt's result
     * @param age        how long the message has been queued at the attempt
     * @param state      the recorded state
     * @param next       the delay until the next attempt (null: none)
     * @param dsnAction  the DSN entry (null: no DSN)
     * @param dsnStatus  its Status
     */
    static Stream<Arguments> decisions() {
        return Stream.of(
                // delivered: success DSN only when asked for
                Arguments.of(null, Status.DELIVERED, "1m", State.DELIVERED, null, null, null),
                Arguments.of("SUCCESS", Status.DELIVERED, "1m", State.DELIVERED, null, Action.RELAYED, "2.0.0"),
                Arguments.of("SUCCESS,FAILURE", Status.DELIVERED, "1m", State.DELIVERED, null, Action.RELAYED, "2.0.0"),
                Arguments.of("NEVER", Status.DELIVERED, "1m", State.DELIVERED, null, null, null),
                // permanent: failure DSN unless NOTIFY excludes it
                Arguments.of(null, Status.PERMANENT, "1m", State.FAILED, null, Action.FAILED, "5.1.1"),
                Arguments.of("FAILURE", Status.PERMANENT, "1m", State.FAILED, null, Action.FAILED, "5.1.1"),
                Arguments.of("SUCCESS", Status.PERMANENT, "1m", State.FAILED, null, null, null),
                Arguments.of("DELAY", Status.PERMANENT, "1m", State.FAILED, null, null, null),
                Arguments.of("never", Status.PERMANENT, "1m", State.FAILED, null, null, null),
                // temporary and young: retry after the schedule's delay, no DSN
                Arguments.of(null, Status.TEMPORARY, "1m", State.QUEUED, "10m", null, null),
                Arguments.of("DELAY", Status.TEMPORARY, "3h", State.QUEUED, "10m", null, null),
                // temporary past the warning age: one delay DSN when DELAY is asked for or NOTIFY is absent
                Arguments.of(null, Status.TEMPORARY, "4h", State.QUEUED, "10m", Action.DELAYED, "4.4.1"),
                Arguments.of("DELAY", Status.TEMPORARY, "5h", State.QUEUED, "10m", Action.DELAYED, "4.4.1"),
                Arguments.of("FAILURE", Status.TEMPORARY, "5h", State.QUEUED, "10m", null, null),
                Arguments.of("NEVER", Status.TEMPORARY, "5h", State.QUEUED, "10m", null, null),
                // the next attempt is never after the expiry: the last one happens at it
                Arguments.of(null, Status.TEMPORARY, "119h55m", State.QUEUED, "5m", Action.DELAYED, "4.4.1"),
                // expired: failure DSN with 4.4.7
                Arguments.of(null, Status.TEMPORARY, "120h", State.EXPIRED, null, Action.FAILED, "4.4.7"),
                Arguments.of("FAILURE,DELAY", Status.TEMPORARY, "121h", State.EXPIRED, null, Action.FAILED, "4.4.7"),
                Arguments.of("SUCCESS", Status.TEMPORARY, "121h", State.EXPIRED, null, null, null));
    }

    @ParameterizedTest(name = "NOTIFY={0}, {1} at age {2} → {3}, next {4}, DSN {5} {6}")
    @MethodSource("decisions")
    void decide(String notify, Status status, String age, State state, String next, Action dsnAction,
                String dsnStatus) {
        Instant now = CREATED.plus(parseAge(age));
        String code = switch (status) {
            case DELIVERED -> "2.0.0";
            case PERMANENT -> "5.1.1";
            case TEMPORARY -> "4.4.1";
        };
        AttemptPlan plan = planner.afterAttempt(message("alice@merpati.example"), List.of(recipient(notify, 2, false)),
                List.of(outcome(status, code, "reply " + code)), now);
        assertEquals(1, plan.updates().size());
        AttemptPlan.Update u = plan.updates().get(0);
        assertEquals(state, u.state());
        assertEquals(4, u.claimedGeneration());
        assertEquals(5, u.newGeneration());
        assertEquals(code, u.status());
        assertEquals("reply " + code, u.error());
        if (next == null) {
            assertNull(plan.nextAttempt());
        } else {
            Instant expected = now.plus(parseAge(next));
            if (expected.isAfter(EXPIRES)) {
                expected = EXPIRES;
            }
            assertEquals(expected, plan.nextAttempt());
            assertEquals(expected, u.nextAttemptAt());
            assertEquals(5, plan.nextGeneration());
        }
        if (dsnAction == null) {
            assertTrue(plan.dsn().isEmpty(), () -> "no DSN expected: " + plan.dsn());
            assertFalse(u.delayNotified());
        } else {
            assertEquals(1, plan.dsn().size());
            DsnRecipient d = plan.dsn().get(0);
            assertEquals(dsnAction, d.action());
            assertEquals(dsnStatus, d.status());
            assertEquals("bob@remote.example", d.address());
            assertEquals("rfc822;bob@remote.example", d.orcpt());
            assertEquals("mx.remote.example [192.0.2.1]", d.remoteMta());
            assertEquals(dsnAction == Action.DELAYED, u.delayNotified());
            assertEquals(dsnAction == Action.DELAYED ? EXPIRES : null, d.willRetryUntil());
        }
    }

    @Test
    void delayWarningIsSentOnce() {
        AttemptPlan plan = planner.afterAttempt(message("alice@merpati.example"), List.of(recipient(null, 5, true)),
                List.of(outcome(Status.TEMPORARY, "4.4.1", "timeout")), CREATED.plus(Duration.ofHours(10)));
        assertTrue(plan.dsn().isEmpty());
        assertTrue(plan.updates().get(0).delayNotified());
    }

    @Test
    void delayWarningsCanBeOff() {
        AttemptPlanner off = new AttemptPlanner(RetrySchedule.parse("K", "5m"), Duration.ZERO);
        AttemptPlan plan = off.afterAttempt(message("alice@merpati.example"), List.of(recipient("DELAY", 5, false)),
                List.of(outcome(Status.TEMPORARY, "4.4.1", "timeout")), CREATED.plus(Duration.ofHours(10)));
        assertTrue(plan.dsn().isEmpty());
    }

    @Test
    void nullSenderNeverGetsADsn() {
        for (Status status : Status.values()) {
            AttemptPlan plan = planner.afterAttempt(message(""), List.of(recipient("SUCCESS,FAILURE,DELAY", 2, false)),
                    List.of(outcome(status, "5.1.1", "x")), CREATED.plus(Duration.ofDays(6)));
            assertTrue(plan.dsn().isEmpty(), status::name);
            assertTrue(planner.bounce(message(""), List.of(recipient(null, 1, false)), CREATED).dsn().isEmpty());
        }
    }

    @Test
    void retryDelayFollowsTheAttemptCount() {
        for (int attempts = 1; attempts <= 5; attempts++) {
            Instant now = CREATED.plus(Duration.ofMinutes(1));
            AttemptPlan plan = planner.afterAttempt(message("a@b.example"), List.of(recipient(null, attempts, false)),
                    List.of(outcome(Status.TEMPORARY, "4.2.0", "busy")), now);
            Duration expected = List.of(Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofHours(1))
                    .get(Math.min(attempts, 3) - 1);
            assertEquals(now.plus(expected), plan.nextAttempt(), "after attempt " + attempts);
        }
    }

    @Test
    void oneDsnForTheWholeBatchAndOneNextAttempt() {
        List<QueuedRecipient> claimed = List.of(
                new QueuedRecipient(1, "a@r.example", "r.example", "SUCCESS", null, 1, false, 2),
                new QueuedRecipient(2, "b@r.example", "r.example", null, null, 1, false, 2),
                new QueuedRecipient(3, "c@r.example", "r.example", null, null, 1, false, 2),
                new QueuedRecipient(4, "d@r.example", "r.example", "NEVER", null, 1, false, 2));
        List<RecipientOutcome> outcomes = List.of(
                new RecipientOutcome(claimed.get(0).toRecipient(), Status.DELIVERED, "2.0.0", "250 ok", true, "mx"),
                new RecipientOutcome(claimed.get(1).toRecipient(), Status.PERMANENT, "5.1.1", "550 no", true, "mx"),
                new RecipientOutcome(claimed.get(2).toRecipient(), Status.TEMPORARY, "4.2.2", "452 full", true, "mx"),
                new RecipientOutcome(claimed.get(3).toRecipient(), Status.PERMANENT, "5.1.1", "550 no", true, "mx"));
        Instant now = CREATED.plus(Duration.ofMinutes(2));
        AttemptPlan plan = planner.afterAttempt(message("s@merpati.example"), claimed, outcomes, now);
        assertEquals(List.of(State.DELIVERED, State.FAILED, State.QUEUED, State.FAILED),
                plan.updates().stream().map(AttemptPlan.Update::state).toList());
        assertEquals(List.of("a@r.example", "b@r.example"), plan.dsn().stream().map(DsnRecipient::address).toList());
        assertEquals(now.plus(Duration.ofMinutes(5)), plan.nextAttempt());
        assertEquals(3, plan.nextGeneration());
    }

    @Test
    void outcomesAreMatchedByAddressWhenOutOfOrderAndMissingOnesAreTemporary() {
        List<QueuedRecipient> claimed = List.of(
                new QueuedRecipient(1, "a@r.example", "r.example", null, null, 1, false, 2),
                new QueuedRecipient(2, "B@r.example", "r.example", null, null, 1, false, 2),
                new QueuedRecipient(3, "c@r.example", "r.example", null, null, 1, false, 2));
        List<RecipientOutcome> outcomes = List.of(
                new RecipientOutcome(new Recipient("b@r.example", null, null), Status.DELIVERED, "2.0.0", "ok", true,
                        "mx"),
                new RecipientOutcome(claimed.get(0).toRecipient(), Status.PERMANENT, "5.1.1", "no", true, "mx"));
        AttemptPlan plan = planner.afterAttempt(message("s@m.example"), claimed, outcomes, CREATED);
        assertEquals(List.of(State.FAILED, State.DELIVERED, State.QUEUED),
                plan.updates().stream().map(AttemptPlan.Update::state).toList());
        assertEquals("4.3.0", plan.updates().get(2).status());
    }

    @Test
    void permanentStatusIsAlwaysFiveAndDelayStatusFour() {
        AttemptPlan failed = planner.afterAttempt(message("s@m.example"), List.of(recipient(null, 1, false)),
                List.of(outcome(Status.PERMANENT, null, "refused")), CREATED);
        assertEquals("5.0.0", failed.dsn().get(0).status());
        AttemptPlan delayed = planner.afterAttempt(message("s@m.example"), List.of(recipient(null, 1, false)),
                List.of(outcome(Status.TEMPORARY, "", "timeout")), CREATED.plus(Duration.ofHours(5)));
        assertEquals("4.0.0", delayed.dsn().get(0).status());
    }

    @Test
    void adminBounceFailsEveryPendingRecipientWithFiveZeroZero() {
        List<QueuedRecipient> pending = List.of(
                new QueuedRecipient(1, "a@r.example", "r.example", null, null, 3, false, 8),
                new QueuedRecipient(2, "b@s.example", "s.example", "NEVER", null, 0, false, 0));
        AttemptPlan plan = planner.bounce(message("s@m.example"), pending, CREATED);
        assertEquals(List.of(State.FAILED, State.FAILED), plan.updates().stream().map(AttemptPlan.Update::state).toList());
        assertEquals(List.of(8L, 0L), plan.updates().stream().map(AttemptPlan.Update::claimedGeneration).toList());
        assertEquals(1, plan.dsn().size());
        assertEquals("5.0.0", plan.dsn().get(0).status());
        assertTrue(plan.dsn().get(0).diagnostic().contains("administrator"));
        assertNull(plan.nextAttempt());
    }

    private static Duration parseAge(String age) {
        // "119h55m" or a single unit
        Duration d = Duration.ZERO;
        for (String part : age.split("(?<=[smhd])")) {
            d = d.plus(Durations.parse("age", part));
        }
        return d;
    }
}
