package org.merpati.ejb.mailauth.spf;

import java.net.InetAddress;

import org.merpati.ejb.dns.DnsAnswer;
import org.merpati.ejb.dns.DnsClient;
import org.merpati.ejb.dns.DnsTemporaryException;
import org.merpati.ejb.dns.MxHost;

/**
 * The DNS questions SPF (and DMARC, which needs only TXT) asks. {@link DnsClient} answers them in the server;
 * tests answer from a table, so the evaluators need no DNS server.
 */
public interface SpfDns {

    /** TXT records, each record's strings concatenated. */
    DnsAnswer<String> txt(String name) throws DnsTemporaryException;

    DnsAnswer<InetAddress> a(String name) throws DnsTemporaryException;

    DnsAnswer<InetAddress> aaaa(String name) throws DnsTemporaryException;

    /** MX records by preference; a null MX (RFC 7505) has the empty host. */
    DnsAnswer<MxHost> mx(String name) throws DnsTemporaryException;

    /** PTR names of an address, without trailing dots. */
    DnsAnswer<String> ptr(InetAddress address) throws DnsTemporaryException;

    /** The server's DNS client as an {@code SpfDns}. */
    static SpfDns of(DnsClient client) {
        return new SpfDns() {
            @Override
            public DnsAnswer<String> txt(String name) throws DnsTemporaryException {
                return client.txt(name);
            }

            @Override
            public DnsAnswer<InetAddress> a(String name) throws DnsTemporaryException {
                return client.a(name);
            }

            @Override
            public DnsAnswer<InetAddress> aaaa(String name) throws DnsTemporaryException {
                return client.aaaa(name);
            }

            @Override
            public DnsAnswer<MxHost> mx(String name) throws DnsTemporaryException {
                return client.mx(name);
            }

            @Override
            public DnsAnswer<String> ptr(InetAddress address) throws DnsTemporaryException {
                return client.ptr(address);
            }
        };
    }
}
