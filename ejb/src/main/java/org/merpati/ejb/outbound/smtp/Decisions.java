package org.merpati.ejb.outbound.smtp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.merpati.connector.api.Recipient;
import org.merpati.ejb.outbound.RecipientOutcome;
import org.merpati.ejb.outbound.RecipientOutcome.Status;

/** The outcome of each recipient of one attempt as it becomes known; a recipient is decided at most once. */
final class Decisions {

    private final List<Recipient> recipients;
    private final RecipientOutcome[] outcomes;

    Decisions(List<Recipient> recipients) {
        this.recipients = recipients;
        this.outcomes = new RecipientOutcome[recipients.size()];
    }

    Recipient recipient(int index) {
        return recipients.get(index);
    }

    boolean isDecided(int index) {
        return outcomes[index] != null;
    }

    void decide(int index, Status status, String enhancedStatus, String diagnostic, boolean smtpReply, String remoteMta) {
        if (outcomes[index] == null) {
            outcomes[index] = new RecipientOutcome(recipients.get(index), status, enhancedStatus, diagnostic, smtpReply, remoteMta);
        }
    }

    /** Decides by a remote reply: 2xx delivered, 4xx temporary, 5xx permanent. */
    void decide(int index, SmtpReply reply, String remoteMta) {
        Status status = reply.isPositiveCompletion() ? Status.DELIVERED
                : reply.isPermanentFailure() ? Status.PERMANENT : Status.TEMPORARY;
        String fallback = switch (status) {
            case DELIVERED -> "2.0.0";
            case PERMANENT -> "5.0.0";
            case TEMPORARY -> "4.0.0";
        };
        decide(index, status, reply.enhancedCodeOr(fallback), reply.oneLine(), true, remoteMta);
    }

    void decideAll(List<Integer> indices, Status status, String enhancedStatus, String diagnostic, boolean smtpReply,
                   String remoteMta) {
        for (int index : indices) {
            decide(index, status, enhancedStatus, diagnostic, smtpReply, remoteMta);
        }
    }

    List<Integer> undecided() {
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null) {
                open.add(i);
            }
        }
        return open;
    }

    List<RecipientOutcome> outcomes() {
        if (Arrays.stream(outcomes).anyMatch(o -> o == null)) {
            throw new IllegalStateException("undecided recipients remain");
        }
        return List.of(outcomes);
    }

    long count(Status status) {
        return Arrays.stream(outcomes).filter(o -> o != null && o.status() == status).count();
    }
}
