package org.merpati.ejb.mailauth.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.merpati.connector.api.Reply;
import org.merpati.ejb.mailauth.ArcResult;

/** Per-domain enforcement and mixed-domain transactions. */
class InboundDispositionTest {

    private static InboundVerdict verdict(InboundVerdict.Action action) {
        return new InboundVerdict("Authentication-Results: mx; none\r\n", "mx; none", action, "why", null, null,
                List.of(), ArcResult.NONE, List.of());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // action | recipients | REPORT_ONLY domains | reply | junk
            "ACCEPT|a@x.example b@y.example|-|-|-",
            "REJECT|a@x.example b@x.example|-|550 5.7.1|-",
            "REJECT|a@x.example b@y.example|y.example|-|a@x.example",
            "REJECT|a@y.example|y.example|-|-",
            "QUARANTINE|a@x.example b@y.example|y.example|-|a@x.example",
            "QUARANTINE|a@x.example b@X.example|-|-|a@x.example b@X.example",
            "DEFER|a@x.example|-|451 4.7.0|-",
            "DEFER|a@x.example b@y.example|y.example|-|-",
    })
    void decides(InboundVerdict.Action action, String recipients, String reportOnly, String reply, String junk) {
        Map<String, String> enforcement = reportOnly == null ? Map.of()
                : Map.of(reportOnly, InboundDisposition.REPORT_ONLY, "x.example", InboundDisposition.ENFORCE);
        InboundDisposition d = InboundDisposition.decide(verdict(action), List.of(recipients.split(" ")),
                enforcement);
        if (reply == null) {
            assertNull(d.reply());
        } else {
            Reply r = d.reply();
            assertEquals(reply, r.code() + " " + r.enhanced());
            assertEquals("why", r.text());
        }
        assertEquals(junk == null ? Set.of() : Set.of(junk.split(" ")), d.junkRecipients());
    }

    @ParameterizedTest
    @CsvSource({"ACCEPT,0", "REJECT,2", "QUARANTINE,2", "DEFER,2"})
    void looksUpDomainsOnlyWhenNeeded(InboundVerdict.Action action, int domains) {
        assertEquals(domains, InboundDisposition.domainsToLookUp(verdict(action),
                List.of("a@x.example", "b@Y.example", "c@x.example")).size());
    }
}
