package org.merpati.ejb.mailauth.spf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.merpati.ejb.dns.DnsAnswer;
import org.merpati.ejb.dns.DnsTemporaryException;
import org.merpati.ejb.dns.MxHost;

/**
 * SPF verification (RFC 7208): the check_host() function with its DNS limits — at most 10 terms that query DNS
 * (include, a, mx, ptr, exists, redirect), at most 2 void lookups, at most 10 names per mx or ptr — and the
 * HELO and MAIL FROM checks built on it. Thread-safe; each check keeps its counters in its own state.
 */
public final class SpfEvaluator {

    static final int MAX_DNS_TERMS = 10;
    static final int MAX_VOID_LOOKUPS = 2;
    static final int MAX_NAMES_PER_LOOKUP = 10;

    private final SpfDns dns;
    private final String receiver;
    private final Clock clock;

    /**
     * @param receiver this host's name, for %{r} in explanations
     */
    public SpfEvaluator(SpfDns dns, String receiver, Clock clock) {
        this.dns = dns;
        this.receiver = receiver;
        this.clock = clock;
    }

    /**
     * The MAIL FROM check (section 2.4): the reverse-path's domain, or {@code postmaster@<helo>} for the null
     * sender.
     */
    public SpfVerdict checkMailFrom(InetAddress ip, String helo, String reversePath) {
        String heloName = helo == null ? "" : stripDot(helo.trim());
        String sender = reversePath == null || reversePath.isEmpty() ? "postmaster@" + heloName : reversePath;
        int at = sender.lastIndexOf('@');
        String domain = at < 0 ? sender : sender.substring(at + 1);
        if (at <= 0) {
            sender = "postmaster@" + domain; // no local part: section 4.3
        }
        return checkHost(ip, domain, sender, heloName);
    }

    /** The HELO check (section 2.3): the HELO name with {@code postmaster@<helo>} as the sender. */
    public SpfVerdict checkHelo(InetAddress ip, String helo) {
        String heloName = helo == null ? "" : stripDot(helo.trim());
        return checkHost(ip, heloName, "postmaster@" + heloName, heloName);
    }

    /** check_host(ip, domain, sender) of section 4. */
    public SpfVerdict checkHost(InetAddress ip, String domain, String sender, String helo) {
        String lowerDomain = stripDot(domain).toLowerCase(Locale.ROOT);
        Evaluation evaluation = new Evaluation(ip, sender, helo);
        try {
            Outcome outcome = evaluation.checkHost(lowerDomain);
            return new SpfVerdict(outcome.result, sender, lowerDomain, outcome.explanation, null);
        } catch (SpfException e) {
            return new SpfVerdict(e.result(), sender, lowerDomain, null, e.getMessage());
        }
    }

    private record Outcome(SpfResult result, String explanation) {
    }

    /** The state of one check: the counters that the limits apply to. */
    private final class Evaluation {

        private final InetAddress ip;
        private final String sender;
        private final String localPart;
        private final String senderDomain;
        private final String helo;
        private int dnsTerms;
        private int voidLookups;
        private String validatedName;

        Evaluation(InetAddress ip, String sender, String helo) {
            this.ip = ip;
            this.sender = sender;
            int at = sender.lastIndexOf('@');
            this.localPart = at <= 0 ? "postmaster" : sender.substring(0, at);
            this.senderDomain = at < 0 ? sender : sender.substring(at + 1);
            this.helo = helo == null ? "" : helo;
        }

        Outcome checkHost(String domain) throws SpfException {
            if (!isValidDomain(domain)) {
                return new Outcome(SpfResult.NONE, null);
            }
            DnsAnswer<String> txt = query(() -> dns.txt(domain), "TXT " + domain);
            if (txt.status() == DnsAnswer.Status.NXDOMAIN) {
                return new Outcome(SpfResult.NONE, null);
            }
            String text = null;
            for (String record : txt.records()) {
                if (SpfRecord.isSpf1(record)) {
                    if (text != null) {
                        throw SpfException.perm("more than one SPF record at " + domain);
                    }
                    text = record;
                }
            }
            if (text == null) {
                return new Outcome(SpfResult.NONE, null);
            }
            SpfRecord record = SpfRecord.parse(text);
            for (SpfRecord.Directive directive : record.directives()) {
                if (directive.mechanism().queriesDns()) {
                    countDnsTerm();
                }
                if (matches(directive, domain)) {
                    SpfResult result = SpfResult.ofQualifier(directive.qualifier());
                    String explanation = result == SpfResult.FAIL && record.exp() != null
                            ? explanation(record.exp(), domain) : null;
                    return new Outcome(result, explanation);
                }
            }
            if (record.redirect() != null) {
                countDnsTerm();
                String target = expandDomain(record.redirect(), domain);
                Outcome redirected = checkHost(target);
                if (redirected.result == SpfResult.NONE) {
                    throw SpfException.perm("redirect to " + target + ", which has no SPF record");
                }
                return redirected;
            }
            return new Outcome(SpfResult.NEUTRAL, null);
        }

        private boolean matches(SpfRecord.Directive directive, String domain) throws SpfException {
            switch (directive.mechanism()) {
                case ALL:
                    return true;
                case IP4:
                case IP6:
                    return SpfRecord.inNetwork(ip, directive.network(),
                            directive.mechanism() == SpfRecord.Mechanism.IP4 ? directive.cidr4() : directive.cidr6());
                case INCLUDE: {
                    String target = expandDomain(directive.domainSpec(), domain);
                    Outcome included = checkHost(target);
                    return switch (included.result) {
                        case PASS -> true;
                        case FAIL, SOFTFAIL, NEUTRAL -> false;
                        case TEMPERROR -> throw SpfException.temp("include:" + target + " failed temporarily");
                        case PERMERROR -> throw SpfException.perm("include:" + target + ": permerror");
                        case NONE -> throw SpfException.perm("include:" + target + " has no SPF record");
                    };
                }
                case A: {
                    String target = target(directive, domain);
                    DnsAnswer<InetAddress> answer = addresses(target);
                    countVoid(answer);
                    return anyInNetwork(answer.records(), directive);
                }
                case MX: {
                    String target = target(directive, domain);
                    DnsAnswer<MxHost> answer = query(() -> dns.mx(target), "MX " + target);
                    countVoid(answer);
                    List<MxHost> hosts = new ArrayList<>();
                    for (MxHost host : answer.records()) {
                        if (!host.isNullMx()) {
                            hosts.add(host);
                        }
                    }
                    if (hosts.size() > MAX_NAMES_PER_LOOKUP) {
                        throw SpfException.perm("mx:" + target + " has more than " + MAX_NAMES_PER_LOOKUP + " hosts");
                    }
                    for (MxHost host : hosts) {
                        if (anyInNetwork(addresses(host.host()).records(), directive)) {
                            return true;
                        }
                    }
                    return false;
                }
                case PTR: {
                    String target = target(directive, domain).toLowerCase(Locale.ROOT);
                    for (String name : validatedNames(true)) {
                        if (name.equals(target) || name.endsWith("." + target)) {
                            return true;
                        }
                    }
                    return false;
                }
                case EXISTS: {
                    String target = expandDomain(directive.domainSpec(), domain);
                    // always an A query, whatever the client's address family (section 5.7)
                    DnsAnswer<InetAddress> answer = query(() -> dns.a(target), "A " + target);
                    countVoid(answer);
                    return !answer.isVoid();
                }
                default:
                    throw new IllegalStateException(directive.mechanism().name());
            }
        }

        private String target(SpfRecord.Directive directive, String domain) throws SpfException {
            return directive.domainSpec() == null ? domain : expandDomain(directive.domainSpec(), domain);
        }

        private boolean anyInNetwork(List<InetAddress> addresses, SpfRecord.Directive directive) {
            int length = ip instanceof Inet4Address ? directive.cidr4() : directive.cidr6();
            for (InetAddress address : addresses) {
                if (SpfRecord.inNetwork(ip, address, length)) {
                    return true;
                }
            }
            return false;
        }

        /** A or AAAA, as the client's address family asks (section 5.3). */
        private DnsAnswer<InetAddress> addresses(String name) throws SpfException {
            return ip instanceof Inet4Address ? query(() -> dns.a(name), "A " + name)
                    : query(() -> dns.aaaa(name), "AAAA " + name);
        }

        /**
         * The client's PTR names that resolve back to its address (section 5.5), at most the first 10 names;
         * lookup errors make a name (or the whole set) not count instead of failing the check.
         */
        private List<String> validatedNames(boolean countVoid) throws SpfException {
            DnsAnswer<String> ptr;
            try {
                ptr = dns.ptr(ip);
            } catch (DnsTemporaryException e) {
                return List.of();
            }
            if (countVoid) {
                countVoid(ptr);
            }
            List<String> validated = new ArrayList<>();
            List<String> names = ptr.records();
            for (int i = 0; i < names.size() && i < MAX_NAMES_PER_LOOKUP; i++) {
                String name = stripDot(names.get(i)).toLowerCase(Locale.ROOT);
                try {
                    DnsAnswer<InetAddress> forward = ip instanceof Inet4Address ? dns.a(name) : dns.aaaa(name);
                    if (forward.records().contains(ip)) {
                        validated.add(name);
                    }
                } catch (DnsTemporaryException e) {
                    // skipped (section 5.5)
                }
            }
            return validated;
        }

        private String expandDomain(String spec, String domain) throws SpfException {
            String expanded = SpfMacros.expand(spec, values(domain), false);
            expanded = stripDot(expanded);
            // section 7.3: drop labels from the left until the name fits in 253 characters
            while (expanded.length() > 253) {
                int dot = expanded.indexOf('.');
                expanded = dot < 0 ? "" : expanded.substring(dot + 1);
            }
            return expanded.toLowerCase(Locale.ROOT);
        }

        /** The exp= text, or null when anything about it fails (section 6.2: errors give no explanation). */
        private String explanation(String spec, String domain) {
            try {
                String target = expandDomain(spec, domain);
                if (!isValidDomain(target)) {
                    return null;
                }
                DnsAnswer<String> txt = dns.txt(target);
                if (txt.records().size() != 1) {
                    return null;
                }
                String text = txt.records().get(0);
                for (int i = 0; i < text.length(); i++) {
                    if (text.charAt(i) > 0x7e) {
                        return null;
                    }
                }
                return SpfMacros.expand(text, values(domain), true);
            } catch (SpfException | DnsTemporaryException e) {
                return null;
            }
        }

        private SpfMacros.Values values(String domain) {
            return new SpfMacros.Values() {
                @Override
                public String sender() {
                    return sender;
                }

                @Override
                public String localPart() {
                    return localPart;
                }

                @Override
                public String senderDomain() {
                    return senderDomain;
                }

                @Override
                public String domain() {
                    return domain;
                }

                @Override
                public InetAddress ip() {
                    return ip;
                }

                @Override
                public String helo() {
                    return helo;
                }

                @Override
                public String validatedName() {
                    if (validatedName == null) {
                        validatedName = chooseValidatedName(domain);
                    }
                    return validatedName;
                }

                @Override
                public String receiver() {
                    return receiver;
                }

                @Override
                public long now() {
                    return clock.instant().getEpochSecond();
                }
            };
        }

        /** %{p}: a validated name equal to or under the domain if there is one, else any, else "unknown". */
        private String chooseValidatedName(String domain) {
            List<String> names;
            try {
                names = validatedNames(false);
            } catch (SpfException e) {
                return "unknown";
            }
            for (String name : names) {
                if (name.equals(domain)) {
                    return name;
                }
            }
            for (String name : names) {
                if (name.endsWith("." + domain)) {
                    return name;
                }
            }
            return names.isEmpty() ? "unknown" : names.get(0);
        }

        private void countDnsTerm() throws SpfException {
            if (++dnsTerms > MAX_DNS_TERMS) {
                throw SpfException.perm("more than " + MAX_DNS_TERMS + " DNS-querying terms");
            }
        }

        private void countVoid(DnsAnswer<?> answer) throws SpfException {
            if (answer.isVoid() && ++voidLookups > MAX_VOID_LOOKUPS) {
                throw SpfException.perm("more than " + MAX_VOID_LOOKUPS + " void lookups");
            }
        }
    }

    private interface Question<T> {
        DnsAnswer<T> ask() throws DnsTemporaryException;
    }

    private static <T> DnsAnswer<T> query(Question<T> question, String what) throws SpfException {
        try {
            return question.ask();
        } catch (DnsTemporaryException e) {
            throw SpfException.temp("DNS " + what + ": " + e.getMessage());
        }
    }

    /**
     * Section 4.3: a domain that cannot be checked (an empty or over-long label, not multi-label, an address
     * literal) gives "none".
     */
    static boolean isValidDomain(String domain) {
        if (domain == null || domain.isEmpty() || domain.length() > 253 || domain.indexOf('.') < 0) {
            return false;
        }
        for (String label : domain.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (c <= 0x20 || c >= 0x7f || c == '[' || c == ']') {
                    return false;
                }
            }
        }
        return true;
    }

    static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
