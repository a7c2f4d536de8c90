package org.merpati.ejb.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.merpati.connector.api.access.Address;

class AddressListParserTest {

    private static Address a(String name, String adl, String mailbox, String host) {
        return new Address(name, adl, mailbox, host);
    }

    @Test
    void addressLists() {
        Object[][] table = {
            {"alice@example.com", List.of(a(null, null, "alice", "example.com"))},
            {"Alice Smith <alice@example.com>", List.of(a("Alice Smith", null, "alice", "example.com"))},
            {"\"Smith, Alice\" <alice@example.com>, bob@example.org (Bob)",
                List.of(a("Smith, Alice", null, "alice", "example.com"), a(null, null, "bob", "example.org"))},
            {"=?UTF-8?Q?J=C3=B6rg?= <j@example.com>", List.of(a("=?UTF-8?Q?J=C3=B6rg?=", null, "j", "example.com"))},
            {"<@relay.example,@other.example:joe@example.com>",
                List.of(a(null, "@relay.example,@other.example", "joe", "example.com"))},
            {"undisclosed-recipients:;", List.of(a(null, null, "undisclosed-recipients", null),
                a(null, null, null, null))},
            {"team: a@x.example, B <b@y.example>; c@z.example", List.of(a(null, null, "team", null),
                a(null, null, "a", "x.example"), a("B", null, "b", "y.example"), a(null, null, null, null),
                a(null, null, "c", "z.example"))},
            {"\"quoted local\"@example.com", List.of(a(null, null, "\"quoted local\"", "example.com"))},
            {"nobody", List.of(a(null, null, "nobody", AddressListParser.MISSING_HOST))},
            {"  ,  ", List.of()},
            {"\"Q \\\"x\\\"\" <q@example.com>", List.of(a("Q \"x\"", null, "q", "example.com"))},
        };
        for (Object[] row : table) {
            assertEquals(row[1], AddressListParser.parse((String) row[0]), (String) row[0]);
        }
    }
}
