package org.merpati.ejb.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.merpati.ejb.platform.MerpatiConfig;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A small, thread-safe DNS client over dnsjava with its own TTL-honouring cache. One instance per process
 * ({@link #current()}); tests build their own against a local server.
 *
 * <p>Configuration: {@code MERPATI_DNS_SERVERS} (comma-separated {@code host} or {@code host:port}; default:
 * the system resolvers) and {@code MERPATI_DNS_TIMEOUT_SECONDS} (per question, default 5).
 */
public final class DnsClient {

    private static volatile DnsClient current;

    private final Resolver resolver;
    private final Cache cache = new Cache(DClass.IN);

    public DnsClient(List<InetSocketAddress> servers, Duration timeout) {
        List<Resolver> resolvers = new ArrayList<>();
        for (InetSocketAddress server : servers) {
            SimpleResolver simple = new SimpleResolver(server);
            simple.setTimeout(timeout);
            resolvers.add(simple);
        }
        ExtendedResolver extended = new ExtendedResolver(resolvers);
        extended.setTimeout(timeout);
        extended.setRetries(1);
        this.resolver = extended;
    }

    /** The process-wide client, configured from {@link MerpatiConfig}. */
    public static DnsClient current() {
        DnsClient client = current;
        if (client == null) {
            synchronized (DnsClient.class) {
                client = current;
                if (client == null) {
                    client = fromConfig(MerpatiConfig.current()::value);
                    current = client;
                }
            }
        }
        return client;
    }

    /** Builds a client from configuration values ({@code MERPATI_DNS_SERVERS}, {@code MERPATI_DNS_TIMEOUT_SECONDS}). */
    public static DnsClient fromConfig(Function<String, String> config) {
        String servers = config.apply("MERPATI_DNS_SERVERS");
        String timeout = config.apply("MERPATI_DNS_TIMEOUT_SECONDS");
        Duration perQuestion = Duration.ofSeconds(timeout == null || timeout.isBlank() ? 5 : Long.parseLong(timeout.trim()));
        List<InetSocketAddress> addresses = new ArrayList<>();
        if (servers == null || servers.isBlank()) {
            addresses.addAll(ResolverConfig.getCurrentConfig().servers());
        } else {
            for (String server : servers.split(",")) {
                addresses.add(parseServer(server.trim()));
            }
        }
        if (addresses.isEmpty()) {
            addresses.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), 53));
        }
        return new DnsClient(addresses, perQuestion);
    }

    /** {@code 127.0.0.1}, {@code 127.0.0.1:5353}, {@code [::1]:5353} or {@code ::1}. */
    static InetSocketAddress parseServer(String server) {
        String host = server;
        int port = 53;
        if (server.startsWith("[")) {
            int end = server.indexOf(']');
            host = server.substring(1, end);
            if (server.length() > end + 2 && server.charAt(end + 1) == ':') {
                port = Integer.parseInt(server.substring(end + 2));
            }
        } else if (server.indexOf(':') == server.lastIndexOf(':') && server.indexOf(':') > 0) {
            host = server.substring(0, server.indexOf(':'));
            port = Integer.parseInt(server.substring(server.indexOf(':') + 1));
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("MERPATI_DNS_SERVERS: not an address: " + server, e);
        }
    }

    /** TXT records of {@code name}; each record's character-strings concatenated (as SPF, DKIM and DMARC want). */
    public DnsAnswer<String> txt(String name) throws DnsTemporaryException {
        return lookup(name, Type.TXT, record -> String.join("", ((TXTRecord) record).getStrings()));
    }

    /** MX records of {@code name}, sorted by preference (stable for equal preferences). */
    public DnsAnswer<MxHost> mx(String name) throws DnsTemporaryException {
        DnsAnswer<MxHost> answer = lookup(name, Type.MX, record -> {
            MXRecord mx = (MXRecord) record;
            return new MxHost(mx.getPriority(), hostName(mx.getTarget()));
        });
        List<MxHost> sorted = new ArrayList<>(answer.records());
        sorted.sort((a, b) -> Integer.compare(a.preference(), b.preference()));
        return new DnsAnswer<>(answer.status(), sorted);
    }

    /** A records of {@code name}. */
    public DnsAnswer<InetAddress> a(String name) throws DnsTemporaryException {
        return lookup(name, Type.A, record -> ((ARecord) record).getAddress());
    }

    /** AAAA records of {@code name}. */
    public DnsAnswer<InetAddress> aaaa(String name) throws DnsTemporaryException {
        return lookup(name, Type.AAAA, record -> ((AAAARecord) record).getAddress());
    }

    /** PTR names of an address (without trailing dots). */
    public DnsAnswer<String> ptr(InetAddress address) throws DnsTemporaryException {
        return lookup(ReverseMap.fromAddress(address).toString(), Type.PTR,
                record -> hostName(((PTRRecord) record).getTarget()));
    }

    private <T> DnsAnswer<T> lookup(String name, int type, Function<Record, T> convert) throws DnsTemporaryException {
        Name absolute;
        try {
            absolute = Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            // a name that cannot exist in the DNS (empty label, too long): no such domain, not a failure
            return DnsAnswer.of(DnsAnswer.Status.NXDOMAIN);
        }
        Lookup lookup = new Lookup(absolute, type, DClass.IN);
        lookup.setResolver(resolver);
        lookup.setCache(cache);
        lookup.setSearchPath((Name[]) null);
        Record[] records = lookup.run();
        switch (lookup.getResult()) {
            case Lookup.SUCCESSFUL -> {
                List<T> values = new ArrayList<>(records.length);
                for (Record record : records) {
                    if (record.getType() == type) {
                        values.add(convert.apply(record));
                    }
                }
                return DnsAnswer.found(values);
            }
            case Lookup.HOST_NOT_FOUND -> {
                return DnsAnswer.of(DnsAnswer.Status.NXDOMAIN);
            }
            case Lookup.TYPE_NOT_FOUND -> {
                return DnsAnswer.of(DnsAnswer.Status.NODATA);
            }
            default -> throw new DnsTemporaryException(Type.string(type) + " " + name + ": " + lookup.getErrorString());
        }
    }

    private static String hostName(Name name) {
        String text = name.toString(true).toLowerCase(Locale.ROOT);
        return text.equals(".") ? "" : text;
    }
}
