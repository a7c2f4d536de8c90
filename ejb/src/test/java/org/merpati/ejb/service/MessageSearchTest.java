package org.merpati.ejb.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class MessageSearchTest {

    @Test
    void sentDateAsWrittenInTheHeader() {
        Object[][] table = {
            {"Tue, 3 Mar 2026 10:00:00 +0100", LocalDate.of(2026, 3, 3)},
            {"3 Mar 2026 23:59 -1200", LocalDate.of(2026, 3, 3)},
            {"Wed, 05 Mar 26 12:00 GMT", LocalDate.of(2026, 3, 5)},
            {"Fri, 1 Jan 99 00:00:00 EST", LocalDate.of(1999, 1, 1)},
            {"Sun (comment), 22 November 2026 08:30:00 +0700", LocalDate.of(2026, 11, 22)},
            {"garbage", null},
            {"31 Feb 2026 10:00 +0000", null},
            {null, null},
        };
        for (Object[] row : table) {
            assertEquals(row[1], MessageSearch.sentDate((String) row[0]), String.valueOf(row[0]));
        }
    }
}
