package org.merpati.ejb.mailauth.dkim;

import org.merpati.ejb.dns.DnsAnswer;
import org.merpati.ejb.dns.DnsTemporaryException;

/** Finds and checks the key record for a signature (RFC 6376 section 6.1.2). */
public final class KeyFetcher {

    private final KeyLookup lookup;

    public KeyFetcher(KeyLookup lookup) {
        this.lookup = lookup;
    }

    /**
     * The usable key record at {@code selector._domainkey.domain}.
     *
     * @throws DkimFailure temperror when DNS failed; permerror when there is no record, none parses, or the key is
     *                     revoked
     */
    public DkimKeyRecord fetch(String selector, String domain, DkimAlgorithm algorithm) throws DkimFailure {
        String name = selector + "._domainkey." + domain;
        DnsAnswer<String> answer;
        try {
            answer = lookup.txt(name);
        } catch (DnsTemporaryException e) {
            throw DkimFailure.temperror("key lookup failed: " + e.getMessage());
        }
        if (answer.isVoid()) {
            throw DkimFailure.permerror("no key record at " + name);
        }
        DkimFailure first = null;
        for (String text : answer.records()) {
            try {
                DkimKeyRecord record = DkimKeyRecord.parse(text, algorithm);
                if (record.revoked()) {
                    throw DkimFailure.permerror("key revoked");
                }
                return record;
            } catch (DkimFailure e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        throw first;
    }
}
