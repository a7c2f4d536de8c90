package org.merpati.ejb.mailauth.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The RFC5322.From domains DMARC judges. */
class AuthorDomainsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "one|From: Alice <alice@Example.COM>\\r\\nTo: b@c\\r\\n\\r\\nFrom: body@ignored.example|1|example.com",
            "folded|From:\\r\\n \"A, B\" <a@one.example>\\r\\n\\r\\n|1|one.example",
            "several-addresses|From: a@one.example, b@two.example, c@one.example\\r\\n\\r\\n|1|one.example two.example",
            "none|To: a@b.example\\r\\n\\r\\n|0|-",
            "two-fields|From: a@one.example\\r\\nFrom: b@two.example\\r\\n\\r\\n|2|-",
            "no-domain|From: undisclosed\\r\\n\\r\\n|1|-",
            "not-from-prefix|From-Address: a@x.example\\r\\nFrom : a@y.example\\r\\n\\r\\n|1|y.example",
            "group|From: team: a@one.example;\\r\\n\\r\\n|1|one.example",
            "trailing-dot|From: a@dot.example.\\r\\n\\r\\n|1|dot.example",
    })
    void reads(String name, String header, int fields, String domains) throws IOException {
        String text = header.replace("\\r\\n", "\r\n");
        AuthorDomains authors = AuthorDomains.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        assertEquals(fields, authors.fromFields(), name);
        assertEquals(domains == null ? List.of() : List.of(domains.split(" ")), authors.domains(), name);
    }
}
