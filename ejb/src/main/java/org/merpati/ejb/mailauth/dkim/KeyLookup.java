package org.merpati.ejb.mailauth.dkim;

import org.merpati.ejb.dns.DnsAnswer;
import org.merpati.ejb.dns.DnsTemporaryException;

/** Where key records come from: {@code DnsClient::txt} in the server, a map in tests. */
@FunctionalInterface
public interface KeyLookup {

    /** The TXT records at {@code name} (each record's strings joined). */
    DnsAnswer<String> txt(String name) throws DnsTemporaryException;
}
