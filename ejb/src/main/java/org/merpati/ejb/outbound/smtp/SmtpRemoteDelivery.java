package org.merpati.ejb.outbound.smtp;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import javax.net.ssl.SSLContext;

import org.jboss.logging.Logger;
import org.merpati.ejb.dns.DnsClient;
import org.merpati.ejb.outbound.OutboundAttempt;
import org.merpati.ejb.outbound.RecipientOutcome;
import org.merpati.ejb.outbound.RecipientOutcome.Status;
import org.merpati.ejb.outbound.RemoteDelivery;
import org.merpati.ejb.outbound.smtp.SmtpClientSession.Credentials;
import org.merpati.ejb.outbound.smtp.SmtpClientSession.HostFailure;
import org.merpati.ejb.outbound.smtp.SmtpClientSession.TlsPolicy;

/**
 * {@link RemoteDelivery} over SMTP: finds the hosts (MX records, or the smarthost), applies the domain's
 * MTA-STS policy, and tries host after host, address after address, until every recipient has an outcome.
 *
 * <ul>
 * <li>A host whose greeting, EHLO or first MAIL fails, or that requires TLS it cannot give, makes way for the
 *     next host; a refused or timed-out connection for the next address.</li>
 * <li>A recipient's 5xx (and any 4xx but "too many recipients") is final for this attempt; a lost connection
 *     during the message data is {@code 4.4.2} for the recipients of that transaction, which are not sent to
 *     another host in the same attempt (that could duplicate the message).</li>
 * <li>Recipients no host took get the last host's failure: permanent only when it was a 5xx reply.</li>
 * </ul>
 * Logs one INFO line per attempt. Thread-safe: one instance serves all delivery threads.
 */
public final class SmtpRemoteDelivery implements RemoteDelivery {

    private static final Logger LOG = Logger.getLogger(SmtpRemoteDelivery.class);

    private final SmtpClientSettings settings;
    private final MxRouter router;
    private final MtaStsPolicies mtaSts;
    private final SSLContext opportunistic;
    private final SSLContext verified;

    public SmtpRemoteDelivery(SmtpClientSettings settings, DnsClient dns) {
        this(settings, dns, null, new SecureRandom());
    }

    /**
     * @param mtaStsFetcher where MTA-STS policies come from; null for HTTPS to {@code mta-sts.<domain>}
     * @param random        orders MX hosts of equal preference
     */
    public SmtpRemoteDelivery(SmtpClientSettings settings, DnsClient dns, MtaStsPolicies.Fetcher mtaStsFetcher,
                              Random random) {
        this.settings = settings;
        this.router = new MxRouter(dns, random);
        this.opportunistic = TlsContexts.opportunistic();
        this.verified = TlsContexts.verified(settings.trustStore(), settings.trustStorePassword());
        MtaStsPolicies.Fetcher fetcher = mtaStsFetcher != null ? mtaStsFetcher
                : MtaStsPolicies.httpsFetcher(verified, Duration.ofSeconds(10), MtaStsPolicies::defaultPolicyUri);
        this.mtaSts = new MtaStsPolicies(dns, fetcher, Clock.systemUTC());
    }

    /** Built from this process's configuration. */
    public static SmtpRemoteDelivery fromConfig() {
        return new SmtpRemoteDelivery(SmtpClientSettings.current(), DnsClient.current());
    }

    @Override
    public List<RecipientOutcome> deliver(OutboundAttempt attempt) {
        if (attempt.recipients().isEmpty()) {
            return List.of();
        }
        Decisions decisions = new Decisions(attempt.recipients());
        Journal journal = new Journal();
        try {
            if (!Files.isReadable(attempt.message())) {
                decisions.decideAll(decisions.undecided(), Status.TEMPORARY, "4.3.0",
                        "queued message file is missing: " + attempt.message(), false, null);
                journal.note("local", "message file missing");
            } else if (settings.smarthost() != null) {
                viaSmarthost(attempt, decisions, journal);
            } else {
                viaMx(attempt, decisions, journal);
            }
        } catch (RuntimeException e) {
            // a bug must not lose the message: it stays queued and the log says why
            LOG.errorf(e, "outbound delivery to %s failed unexpectedly", attempt.domain());
            decisions.decideAll(decisions.undecided(), Status.TEMPORARY, "4.3.0",
                    "local error: " + e.getClass().getSimpleName(), false, null);
        }
        if (!decisions.undecided().isEmpty()) {
            decisions.decideAll(decisions.undecided(), Status.TEMPORARY, "4.4.1", "no host tried", false, null);
        }
        LOG.infof("outbound %s: %d recipient(s): %d delivered, %d deferred, %d failed; %s", attempt.domain(),
                attempt.recipients().size(), decisions.count(Status.DELIVERED), decisions.count(Status.TEMPORARY),
                decisions.count(Status.PERMANENT), journal);
        return decisions.outcomes();
    }

    private void viaSmarthost(OutboundAttempt attempt, Decisions decisions, Journal journal) {
        SmtpClientSettings.Smarthost relay = settings.smarthost();
        MxRouter.Addresses addresses = router.smarthostAddresses(relay.host());
        if (addresses.addresses().isEmpty()) {
            String problem = "smarthost " + relay.host() + ": " + addresses.problem();
            decisions.decideAll(decisions.undecided(), Status.TEMPORARY,
                    addresses.temporaryFailure() ? "4.4.3" : "4.4.4", problem, false, null);
            journal.note(relay.host(), problem);
            return;
        }
        SSLContext context = relay.verify() ? verified : opportunistic;
        TlsPolicy tls = switch (relay.tls()) {
            case STARTTLS -> new TlsPolicy(true, true, context, relay.verify());
            case IMPLICIT, NONE -> TlsPolicy.PLAINTEXT;
        };
        Credentials credentials = null;
        if (relay.user() != null) {
            boolean loopback = addresses.addresses().stream().allMatch(InetAddress::isLoopbackAddress);
            credentials = new Credentials(relay.user(), relay.password() == null ? "" : relay.password(),
                    relay.tls() == SmtpClientSettings.TlsMode.NONE && loopback);
        }
        SSLContext implicit = relay.tls() == SmtpClientSettings.TlsMode.IMPLICIT ? context : null;
        HostFailure last = null;
        for (InetAddress address : addresses.addresses()) {
            if (decisions.undecided().isEmpty()) {
                break;
            }
            last = tryAddress(attempt, decisions, journal, relay.host(), address, relay.port(), tls, implicit,
                    relay.verify(), credentials);
            if (last != null && last.kind() != HostFailure.Kind.CONNECTION) {
                break;
            }
        }
        settleUndecided(decisions, last, false);
    }

    private void viaMx(OutboundAttempt attempt, Decisions decisions, Journal journal) {
        MxRouter.Route route = router.route(attempt.domain());
        if (route instanceof MxRouter.Unroutable unroutable) {
            decisions.decideAll(decisions.undecided(), unroutable.status(), unroutable.enhancedStatus(),
                    unroutable.diagnostic(), false, null);
            journal.note("dns", unroutable.diagnostic());
            return;
        }
        List<MxRouter.Target> targets = ((MxRouter.Hosts) route).targets();
        Optional<MtaStsPolicy> policy = settings.mtaSts() ? mtaSts.policyFor(attempt.domain()) : Optional.empty();
        boolean enforce = policy.isPresent() && policy.get().mode() == MtaStsPolicy.Mode.ENFORCE;
        if (policy.isPresent()) {
            List<MxRouter.Target> allowed = targets.stream().filter(t -> policy.get().allowsMx(t.host())).toList();
            if (enforce) {
                if (allowed.isEmpty()) {
                    String problem = "no MX host of " + attempt.domain() + " matches its MTA-STS policy " + policy.get().mx();
                    decisions.decideAll(decisions.undecided(), Status.TEMPORARY, "4.7.5", problem, false, null);
                    journal.note("mta-sts", problem);
                    return;
                }
                targets = allowed;
            } else if (allowed.size() < targets.size()) {
                LOG.infof("MTA-STS testing: MX hosts of %s outside the policy %s would be skipped under enforce",
                        attempt.domain(), policy.get().mx());
            }
        }
        // MTA-STS enforce: STARTTLS with a certificate valid for the MX name, else no delivery (RFC 8461 section 4.2)
        TlsPolicy tls = enforce ? new TlsPolicy(true, true, verified, true) : new TlsPolicy(true, false, opportunistic, false);
        HostFailure last = null;
        boolean allPermanent = true;
        boolean anyAddress = false;
        boolean implicitWithoutAddress = false;
        hosts:
        for (MxRouter.Target target : targets) {
            MxRouter.Addresses addresses = router.addresses(target.host());
            if (addresses.addresses().isEmpty()) {
                journal.note(target.host(), addresses.problem());
                implicitWithoutAddress = target.implicitMx() && !addresses.temporaryFailure();
                last = HostFailure.local(HostFailure.Kind.CONNECTION,
                        addresses.temporaryFailure() ? "4.4.3" : "4.4.4", addresses.problem());
                allPermanent = false;
                continue;
            }
            anyAddress = true;
            for (InetAddress address : addresses.addresses()) {
                if (decisions.undecided().isEmpty()) {
                    break hosts;
                }
                HostFailure failure = tryAddress(attempt, decisions, journal, target.host(), address, settings.port(),
                        tls, null, false, null);
                if (failure != null && failure.kind() == HostFailure.Kind.TLS_HANDSHAKE) {
                    // opportunistic TLS that fails is retried in plain text, as other MTAs do
                    failure = tryAddress(attempt, decisions, journal, target.host(), address, settings.port(),
                            TlsPolicy.PLAINTEXT, null, false, null);
                }
                if (failure == null) {
                    continue;
                }
                last = failure;
                allPermanent &= failure.status() == Status.PERMANENT;
                if (failure.kind() != HostFailure.Kind.CONNECTION) {
                    continue hosts; // the host answered: its other addresses would answer the same
                }
            }
            if (decisions.undecided().isEmpty()) {
                break;
            }
        }
        if (!anyAddress && implicitWithoutAddress && !decisions.undecided().isEmpty()) {
            String problem = "domain " + attempt.domain() + " has no MX and no A or AAAA record";
            decisions.decideAll(decisions.undecided(), Status.PERMANENT, "5.4.4", problem, false, null);
            return;
        }
        settleUndecided(decisions, last, allPermanent);
    }

    /** Recipients that no host took share the last failure; permanent only when every host refused for good. */
    private static void settleUndecided(Decisions decisions, HostFailure last, boolean allPermanent) {
        List<Integer> open = decisions.undecided();
        if (open.isEmpty() || last == null) {
            return;
        }
        Status status = allPermanent && last.status() == Status.PERMANENT ? Status.PERMANENT : Status.TEMPORARY;
        String enhanced = status == Status.TEMPORARY ? last.enhancedStatus().replaceFirst("^5", "4") : last.enhancedStatus();
        decisions.decideAll(open, status, enhanced, last.diagnostic(), last.smtpReply(), last.remoteMta());
    }

    private HostFailure tryAddress(OutboundAttempt attempt, Decisions decisions, Journal journal, String host,
                                   InetAddress address, int port, TlsPolicy tls, SSLContext implicitTls,
                                   boolean verifyImplicit, Credentials credentials) {
        String remoteMta = host + " [" + address.getHostAddress() + "]";
        List<Integer> assigned = decisions.undecided();
        InetSocketAddress socketAddress = new InetSocketAddress(address, port);
        SmtpConnection connection;
        try {
            connection = SmtpConnection.open(socketAddress, host, settings.connectTimeout(),
                    settings.dataBlockTimeout(), implicitTls, verifyImplicit);
        } catch (IOException e) {
            String problem = e instanceof ConnectException ? "connection refused by " + remoteMta + ":" + port
                    : e instanceof SocketTimeoutException ? "no answer from " + remoteMta + ":" + port
                    : "cannot connect to " + remoteMta + ":" + port + ": " + e.getMessage();
            journal.note(remoteMta, problem);
            return HostFailure.local(HostFailure.Kind.CONNECTION, "4.4.1", problem);
        }
        SmtpClientSession session = new SmtpClientSession(settings, attempt, decisions, remoteMta, tls, credentials);
        HostFailure failure;
        try {
            failure = session.run(connection, assigned);
        } finally {
            connection.close();
        }
        long decided = assigned.stream().filter(decisions::isDecided).count();
        journal.note(remoteMta, (session.tlsUsed() ? session.tlsDescription() : "no TLS")
                + (session.pipelined() ? ", pipelined" : "") + ", " + decided + "/" + assigned.size() + " decided"
                + (failure == null ? "" : ", " + failure.describe()));
        return failure;
    }

    /** What each host did in this attempt, for the one log line. */
    private static final class Journal {
        private final List<String> entries = new ArrayList<>();

        void note(String host, String what) {
            entries.add(host + ": " + what);
        }

        @Override
        public String toString() {
            return entries.isEmpty() ? "no host tried" : String.join("; ", entries);
        }
    }
}
