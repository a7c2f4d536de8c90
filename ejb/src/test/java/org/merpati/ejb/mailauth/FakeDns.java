package org.merpati.ejb.mailauth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.merpati.ejb.dns.DnsAnswer;
import org.merpati.ejb.dns.DnsTemporaryException;
import org.merpati.ejb.dns.MxHost;
import org.merpati.ejb.mailauth.spf.SpfDns;

/**
 * An in-memory DNS for the SPF and DMARC tests, from zone lines {@code name TYPE data}: TXT (the rest of the line,
 * one record per line), A, AAAA, MX ({@code preference host}, host "." for a null MX), PTR ({@code address name}
 * keyed by the address), TIMEOUT (every question about the name fails temporarily). A name with records of
 * other types answers NODATA, an unknown name NXDOMAIN.
 */
public final class FakeDns implements SpfDns {

    private final Map<String, List<String>> records = new HashMap<>();
    private final Set<String> names = new HashSet<>();
    private final Set<String> timeouts = new HashSet<>();
    public final AtomicInteger questions = new AtomicInteger();

    public static FakeDns of(String zone) {
        FakeDns dns = new FakeDns();
        for (String line : zone.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] parts = trimmed.split(" ", 3);
            String name = norm(parts[0]);
            String type = parts[1];
            if (type.equals("TIMEOUT")) {
                dns.timeouts.add(name);
                continue;
            }
            String data = parts.length > 2 ? parts[2] : "";
            if (type.equals("PTR")) {
                String[] ptr = data.split(" ");
                name = address(parts[0]).getHostAddress().toLowerCase(Locale.ROOT);
                dns.records.computeIfAbsent("PTR " + name, k -> new ArrayList<>()).add(norm(ptr[0]));
                continue;
            }
            dns.names.add(name);
            dns.records.computeIfAbsent(type + " " + name, k -> new ArrayList<>()).add(data);
        }
        return dns;
    }

    private static String norm(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") && lower.length() > 1 ? lower.substring(0, lower.length() - 1) : lower;
    }

    private <T> DnsAnswer<T> answer(String type, String name, java.util.function.Function<String, T> convert)
            throws DnsTemporaryException {
        questions.incrementAndGet();
        String key = norm(name);
        if (timeouts.contains(key)) {
            throw new DnsTemporaryException(type + " " + name + ": timed out");
        }
        List<String> data = records.get(type + " " + key);
        if (data == null) {
            return new DnsAnswer<>(names.contains(key) ? DnsAnswer.Status.NODATA : DnsAnswer.Status.NXDOMAIN,
                    List.of());
        }
        List<T> converted = new ArrayList<>();
        for (String d : data) {
            converted.add(convert.apply(d));
        }
        return new DnsAnswer<>(DnsAnswer.Status.FOUND, converted);
    }

    @Override
    public DnsAnswer<String> txt(String name) throws DnsTemporaryException {
        return answer("TXT", name, s -> s);
    }

    @Override
    public DnsAnswer<InetAddress> a(String name) throws DnsTemporaryException {
        return answer("A", name, FakeDns::address);
    }

    @Override
    public DnsAnswer<InetAddress> aaaa(String name) throws DnsTemporaryException {
        return answer("AAAA", name, FakeDns::address);
    }

    @Override
    public DnsAnswer<MxHost> mx(String name) throws DnsTemporaryException {
        return answer("MX", name, s -> {
            String[] p = s.split(" ");
            return new MxHost(Integer.parseInt(p[0]), p[1].equals(".") ? "" : norm(p[1]));
        });
    }

    @Override
    public DnsAnswer<String> ptr(InetAddress address) throws DnsTemporaryException {
        questions.incrementAndGet();
        String key = address.getHostAddress().toLowerCase(Locale.ROOT);
        if (timeouts.contains(key)) {
            throw new DnsTemporaryException("PTR " + key + ": timed out");
        }
        List<String> data = records.get("PTR " + key);
        if (data == null) {
            return new DnsAnswer<>(DnsAnswer.Status.NXDOMAIN, List.of());
        }
        return new DnsAnswer<>(DnsAnswer.Status.FOUND, data);
    }

    public static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
