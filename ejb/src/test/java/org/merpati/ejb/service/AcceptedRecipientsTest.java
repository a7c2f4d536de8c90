package org.merpati.ejb.service;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

class AcceptedRecipientsTest {

    private final ResolvedRecipient resolved = new ResolvedRecipient("ann@example.test",
            List.of(new LocalTarget(7, "ann@example.test")), List.of());

    @Test
    void aResolutionIsTakenOnceBySameSessionAddressAndAuthentication() {
        AcceptedRecipients.remember("s1", false, "Ann@Example.test", resolved);
        assertNull(AcceptedRecipients.take("s2", false, "Ann@Example.test"), "another session");
        assertNull(AcceptedRecipients.take("s1", true, "Ann@Example.test"), "after AUTH the judgement differs");
        assertSame(resolved, AcceptedRecipients.take("s1", false, "Ann@Example.test"));
        assertNull(AcceptedRecipients.take("s1", false, "Ann@Example.test"), "taken once");
    }
}
