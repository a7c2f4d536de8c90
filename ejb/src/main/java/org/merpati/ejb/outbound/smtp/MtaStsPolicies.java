package org.merpati.ejb.outbound.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import javax.net.ssl.SSLContext;

import org.jboss.logging.Logger;
import org.merpati.ejb.dns.DnsClient;
import org.merpati.ejb.dns.DnsTemporaryException;

/**
 * Finds the MTA-STS policy of a destination domain (RFC 8461 section 3 and 5): the {@code _mta-sts} TXT record
 * gives the policy id; the policy itself comes over HTTPS from {@code mta-sts.<domain>} and is cached by id
 * until its max_age. Failures never block delivery by themselves: without a cached policy a domain whose policy
 * cannot be fetched is treated as having none (section 5, "fail open" for discovery).
 */
public final class MtaStsPolicies {

    private static final Logger LOG = Logger.getLogger(MtaStsPolicies.class);

    /** Fetches the policy text of a domain. */
    @FunctionalInterface
    public interface Fetcher {
        /** @return the policy file, or empty when there is none (not 200, not text/plain, too large) */
        Optional<String> fetch(String domain) throws IOException, InterruptedException;
    }

    /** The TXT records of a name (empty when it has none or does not exist). */
    @FunctionalInterface
    public interface TxtLookup {
        List<String> txt(String name) throws DnsTemporaryException;
    }

    private record Cached(String id, MtaStsPolicy policy, Instant expires) {
    }

    private final TxtLookup dns;
    private final Fetcher fetcher;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public MtaStsPolicies(DnsClient dns, Fetcher fetcher, Clock clock) {
        this(name -> dns.txt(name).records(), fetcher, clock);
    }

    public MtaStsPolicies(TxtLookup dns, Fetcher fetcher, Clock clock) {
        this.dns = dns;
        this.fetcher = fetcher;
        this.clock = clock;
    }

    /** The policy in force for {@code domain}; empty when it has none or its mode is none. */
    public Optional<MtaStsPolicy> policyFor(String domain) {
        String name = domain.toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        Cached cached = cache.get(name);
        if (cached != null && !now.isBefore(cached.expires())) {
            cache.remove(name, cached);
            cached = null;
        }
        Optional<String> id;
        try {
            id = MtaStsPolicy.policyId(dns.txt("_mta-sts." + name));
        } catch (DnsTemporaryException e) {
            LOG.debugf("MTA-STS TXT lookup for %s failed: %s", name, e.getMessage());
            return active(cached);
        }
        if (id.isEmpty()) {
            // no record (any more): a cached policy stays in force until it expires (section 5.1)
            return active(cached);
        }
        if (cached != null && cached.id().equals(id.get())) {
            return active(cached);
        }
        try {
            Optional<MtaStsPolicy> fetched = fetcher.fetch(name).flatMap(MtaStsPolicy::parse);
            if (fetched.isEmpty()) {
                LOG.infof("MTA-STS policy of %s (id %s) missing or invalid; using %s", name, id.get(),
                        cached == null ? "none" : "the cached one");
                return active(cached);
            }
            Cached fresh = new Cached(id.get(), fetched.get(), now.plusSeconds(fetched.get().maxAge()));
            cache.put(name, fresh);
            return active(fresh);
        } catch (IOException e) {
            LOG.infof("MTA-STS policy of %s could not be fetched (%s); using %s", name, e.getMessage(),
                    cached == null ? "none" : "the cached one");
            return active(cached);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return active(cached);
        }
    }

    private static Optional<MtaStsPolicy> active(Cached cached) {
        if (cached == null || cached.policy().mode() == MtaStsPolicy.Mode.NONE) {
            return Optional.empty();
        }
        return Optional.of(cached.policy());
    }

    /**
     * The fetcher of RFC 8461 section 3.3: HTTPS GET of {@code https://mta-sts.<domain>/.well-known/mta-sts.txt},
     * certificate verified against {@code trust}, no redirects, status 200, {@code text/plain}, at most 64 KiB.
     *
     * @param policyUri the URI of a domain's policy (tests point it at a loopback server)
     */
    public static Fetcher httpsFetcher(SSLContext trust, Duration timeout, Function<String, URI> policyUri) {
        HttpClient client = HttpClient.newBuilder()
                .sslContext(trust)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .build();
        return domain -> {
            HttpRequest request = HttpRequest.newBuilder(policyUri.apply(domain)).timeout(timeout).GET().build();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
                if (response.statusCode() != 200 || !type.startsWith("text/plain")) {
                    return Optional.empty();
                }
                byte[] bytes = body.readNBytes(64 * 1024 + 1);
                if (bytes.length > 64 * 1024) {
                    return Optional.empty();
                }
                return Optional.of(new String(bytes, StandardCharsets.UTF_8));
            }
        };
    }

    /** The policy location of section 3.3. */
    public static URI defaultPolicyUri(String domain) {
        return URI.create("https://mta-sts." + domain + "/.well-known/mta-sts.txt");
    }
}
