package org.merpati.ejb.mailauth.dkim;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.merpati.ejb.dns.DnsAnswer;
import org.merpati.ejb.dns.DnsTemporaryException;

/** Key records from a map; names mapped to null fail temporarily. */
public final class MapKeyLookup implements KeyLookup {

    private final Map<String, String> records = new HashMap<>();
    private int questions;

    public MapKeyLookup put(String name, String record) {
        records.put(name, record);
        return this;
    }

    public int questions() {
        return questions;
    }

    @Override
    public DnsAnswer<String> txt(String name) throws DnsTemporaryException {
        questions++;
        if (!records.containsKey(name)) {
            return new DnsAnswer<>(DnsAnswer.Status.NXDOMAIN, List.of());
        }
        String record = records.get(name);
        if (record == null) {
            throw new DnsTemporaryException("SERVFAIL " + name);
        }
        return new DnsAnswer<>(DnsAnswer.Status.FOUND, List.of(record));
    }
}
