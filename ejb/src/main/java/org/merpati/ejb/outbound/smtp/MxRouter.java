package org.merpati.ejb.outbound.smtp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.merpati.ejb.dns.DnsAnswer;
import org.merpati.ejb.dns.DnsClient;
import org.merpati.ejb.dns.DnsTemporaryException;
import org.merpati.ejb.dns.MxHost;
import org.merpati.ejb.outbound.RecipientOutcome.Status;

/**
 * Where mail for a domain goes (RFC 5321 section 5.1): its MX hosts in preference order, equal preferences in
 * random order to spread the load; the domain itself when it has no MX (implicit MX); nowhere for a null MX
 * (RFC 7505) or a domain that does not exist.
 */
final class MxRouter {

    /** A host to try, and whether it is the domain itself standing in for a missing MX. */
    record Target(String host, int preference, boolean implicitMx) {
    }

    /** The outcome of routing: hosts to try, or a verdict for every recipient. */
    sealed interface Route permits Hosts, Unroutable {
    }

    record Hosts(List<Target> targets) implements Route {
    }

    record Unroutable(Status status, String enhancedStatus, String diagnostic) implements Route {
    }

    /** The addresses of one host, or why there are none. */
    record Addresses(List<InetAddress> addresses, boolean temporaryFailure, String problem) {
    }

    private final DnsClient dns;
    private final Random random;

    MxRouter(DnsClient dns, Random random) {
        this.dns = dns;
        this.random = random;
    }

    Route route(String domain) {
        DnsAnswer<MxHost> mx;
        try {
            mx = dns.mx(domain);
        } catch (DnsTemporaryException e) {
            return new Unroutable(Status.TEMPORARY, "4.4.3", "DNS lookup of MX " + domain + " failed: " + e.getMessage());
        }
        switch (mx.status()) {
            case NXDOMAIN -> {
                return new Unroutable(Status.PERMANENT, "5.1.2", "domain " + domain + " does not exist (NXDOMAIN)");
            }
            case NODATA -> {
                // implicit MX: the domain's own address records, if it has any (checked when the host is tried)
                return new Hosts(List.of(new Target(domain, 0, true)));
            }
            default -> {
                // fall through to the MX list
            }
        }
        List<MxHost> hosts = mx.records();
        if (hosts.stream().anyMatch(MxHost::isNullMx)) {
            return new Unroutable(Status.PERMANENT, "5.1.10", "domain " + domain + " accepts no mail (null MX, RFC 7505)");
        }
        return new Hosts(order(hosts, random));
    }

    /** Preference order; hosts of equal preference shuffled; duplicates dropped. */
    static List<Target> order(List<MxHost> hosts, Random random) {
        List<MxHost> sorted = new ArrayList<>(hosts);
        sorted.sort((a, b) -> Integer.compare(a.preference(), b.preference()));
        List<Target> targets = new ArrayList<>();
        int i = 0;
        while (i < sorted.size()) {
            int j = i;
            List<MxHost> group = new ArrayList<>();
            while (j < sorted.size() && sorted.get(j).preference() == sorted.get(i).preference()) {
                group.add(sorted.get(j++));
            }
            Collections.shuffle(group, random);
            for (MxHost host : group) {
                if (targets.stream().noneMatch(t -> t.host().equals(host.host()))) {
                    targets.add(new Target(host.host(), host.preference(), false));
                }
            }
            i = j;
        }
        return targets;
    }

    /** A then AAAA addresses of {@code host} (IPv4 first: many networks still lack a working IPv6 route). */
    Addresses addresses(String host) {
        List<InetAddress> addresses = new ArrayList<>();
        boolean temporary = false;
        String problem = null;
        try {
            addresses.addAll(dns.a(host).records());
        } catch (DnsTemporaryException e) {
            temporary = true;
            problem = e.getMessage();
        }
        try {
            addresses.addAll(dns.aaaa(host).records());
        } catch (DnsTemporaryException e) {
            temporary = true;
            problem = e.getMessage();
        }
        if (addresses.isEmpty() && problem == null) {
            problem = "host " + host + " has no A or AAAA record";
        }
        return new Addresses(addresses, temporary, problem);
    }

    /**
     * The smarthost's addresses: an address literal as is, otherwise DNS; a name DNS does not know is asked of
     * the system resolver too, so that {@code localhost} or a name in /etc/hosts works as a relay.
     */
    Addresses smarthostAddresses(String host) {
        if (host.matches("[0-9.]+") || host.contains(":")) {
            try {
                return new Addresses(List.of(InetAddress.getByName(host)), false, null);
            } catch (UnknownHostException e) {
                return new Addresses(List.of(), false, "not an address: " + host);
            }
        }
        Addresses fromDns = addresses(host);
        if (!fromDns.addresses().isEmpty() || fromDns.temporaryFailure()) {
            return fromDns;
        }
        try {
            return new Addresses(List.of(InetAddress.getAllByName(host)), false, null);
        } catch (UnknownHostException e) {
            return fromDns;
        }
    }
}
