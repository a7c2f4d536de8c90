package org.merpati.ejb.mailauth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.merpati.ejb.api.DnsRecordView;

/** How records to publish are split and written as zone-file lines. */
class DnsRecordViewTest {

    @Test
    void shortTxtIsOneString() {
        DnsRecordView spf = new DnsRecordView("example.com", "TXT", "v=spf1 mx -all", "spf");
        assertEquals(List.of("v=spf1 mx -all"), spf.strings());
        assertEquals("example.com.\tIN\tTXT\t\"v=spf1 mx -all\"", spf.zoneLine());
    }

    @Test
    void longTxtIsSplitAt255Characters() {
        String value = "a".repeat(255) + "b".repeat(255) + "c";
        DnsRecordView dkim = new DnsRecordView("s._domainkey.example.com", "TXT", value, "dkim");
        assertEquals(List.of("a".repeat(255), "b".repeat(255), "c"), dkim.strings());
        assertEquals("s._domainkey.example.com.\tIN\tTXT\t( \"" + "a".repeat(255) + "\" \"" + "b".repeat(255) + "\" \"c\" )",
                dkim.zoneLine());
        assertEquals(List.of("x".repeat(255)), new DnsRecordView("n", "TXT", "x".repeat(255), "dkim").strings());
    }

    @Test
    void quotesAndBackslashesAreEscapedAndMxIsWrittenAsIs() {
        assertEquals("n.\tIN\tTXT\t\"a\\\"b\\\\c\"", new DnsRecordView("n", "TXT", "a\"b\\c", "x").zoneLine());
        assertEquals("example.com.\tIN\tMX\t10 mx.example.com.",
                new DnsRecordView("example.com", "MX", "10 mx.example.com.", "mx").zoneLine());
    }
}
