package org.merpati.ejb.mailauth.dmarc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tag parsing of RFC 7489 section 6.3. */
class DmarcRecordTest {

    @Test
    void allTags() throws Exception {
        DmarcRecord r = DmarcRecord.parse("v=DMARC1; p=Quarantine; sp=reject; adkim=s; aspf=s; pct=20; "
                + "rua=mailto:agg@example.com!10m, bad uri; ruf=mailto:f@example.com; fo=1:d; future=ignored");
        assertEquals(DmarcPolicy.QUARANTINE, r.policy());
        assertEquals(DmarcPolicy.REJECT, r.subdomainPolicy());
        assertTrue(r.strictDkim());
        assertTrue(r.strictSpf());
        assertEquals(20, r.percent());
        assertEquals(List.of("mailto:agg@example.com"), r.aggregateUris());
        assertEquals(List.of("mailto:f@example.com"), r.failureUris());
        assertEquals("1:d", r.failureOptions());
    }

    @Test
    void defaults() throws Exception {
        DmarcRecord r = DmarcRecord.parse("v=DMARC1;p=none");
        assertEquals(DmarcPolicy.NONE, r.policy());
        assertEquals(null, r.subdomainPolicy());
        assertFalse(r.strictDkim());
        assertFalse(r.strictSpf());
        assertEquals(100, r.percent());
        assertEquals("0", r.failureOptions());
    }

    @Test
    void missingPolicyWithReportUriIsNone() throws Exception {
        assertEquals(DmarcPolicy.NONE, DmarcRecord.parse("v=DMARC1; rua=mailto:a@example.com").policy());
    }

    @ParameterizedTest
    @ValueSource(strings = {"v=DMARC1", "v=DMARC1; p=", "v=DMARC1; p=bounce", "v=DMARC1; p=reject; sp=x",
            "p=reject; v=DMARC1", "v=DMARC2; p=reject", "v = DMARC1x; p=reject"})
    void unusable(String record) {
        assertThrows(DmarcRecord.InvalidRecordException.class, () -> DmarcRecord.parse(record));
    }
}
