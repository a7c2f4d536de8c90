package org.merpati.ejb.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which addresses alice@example.com may send as, with a small directory of aliases and grants. */
class SenderOwnershipTest {

    private static final String ALICE = "alice@example.com";

    /** alias → targets; account → grants. */
    private static final Map<String, List<String>> ALIASES = Map.of(
            "sales@example.com", List.of("alice@example.com", "bob@example.com"),
            "bob-alias@example.com", List.of("bob@example.com"),
            "chain@example.com", List.of("sales@example.com"),
            "fwd@example.com", List.of("alice@elsewhere.net"));
    private static final Map<String, List<String>> GRANTS = Map.of(
            "alice@example.com", List.of("info@example.com", "@subsidiary.example"),
            "bob@example.com", List.of("@example.com"));

    private static final class Directory implements SenderOwnership.Directory {
        final AtomicInteger grantReads = new AtomicInteger();

        @Override
        public List<String> aliasTargets(String alias) {
            return ALIASES.getOrDefault(alias, List.of());
        }

        @Override
        public List<String> sendAsGrants(String account) {
            grantReads.incrementAndGet();
            return GRANTS.getOrDefault(account, List.of());
        }
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        // own address, any case, sub-addressed
        "alice@example.com,          true",
        "Alice@EXAMPLE.com,          true",
        "alice+lists@example.com,    true",
        "alice@example.com.,         true",
        // aliases whose target is alice (also sub-addressed); not someone else's, not through a chain
        "sales@example.com,          true",
        "SALES+q4@example.com,       true",
        "bob-alias@example.com,      false",
        "chain@example.com,          false",
        "fwd@example.com,            false",
        // explicit grants: one address, a whole domain
        "info@example.com,           true",
        "info+x@example.com,         true",
        "anyone@subsidiary.example,  true",
        "anyone@SUBSIDIARY.example,  true",
        "x@sub.subsidiary.example,   false",
        // not hers
        "bob@example.com,            false",
        "alice@example.net,          false",
        "alice@elsewhere.net,        false",
        "postmaster@example.com,     false",
        // malformed or relay tricks are never hers
        "alice,                      false",
        "alice@[192.0.2.1],          false",
        "alice%example.com@example.com, false",
        "@relay.example:alice@example.com, false",
        "\"alice@example.com\"@example.com, false",
    })
    void rules(String address, boolean allowed) {
        assertEquals(allowed, new SenderOwnership(ALICE, new Directory()).mayUse(address), address);
    }

    @Test
    void aDomainGrantCoversEveryAddressOfTheDomain() {
        SenderOwnership bob = new SenderOwnership("bob@example.com", new Directory());
        assertEquals(true, bob.mayUse("ceo@example.com"));
        assertEquals(false, bob.mayUse("ceo@example.org"));
    }

    @Test
    void firstForeignNamesTheFirstAddressNotOwnedAndReadsGrantsOnce() {
        Directory directory = new Directory();
        SenderOwnership ownership = new SenderOwnership(ALICE, directory);
        assertNull(ownership.firstForeign(List.of("alice@example.com", "info@example.com", "x@subsidiary.example")));
        assertEquals("bob@example.com", ownership.firstForeign(List.of("sales@example.com", "bob@example.com",
                "carol@example.com")));
        assertEquals(1, directory.grantReads.get());
    }
}
