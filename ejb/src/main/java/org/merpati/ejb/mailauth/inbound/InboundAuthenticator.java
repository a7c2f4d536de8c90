package org.merpati.ejb.mailauth.inbound;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

import org.jboss.logging.Logger;
import org.merpati.ejb.mailauth.ArcResult;
import org.merpati.ejb.mailauth.DkimResult;
import org.merpati.ejb.mailauth.MessageVerification;
import org.merpati.ejb.mailauth.dmarc.DmarcEvaluator;
import org.merpati.ejb.mailauth.dmarc.DmarcPolicy;
import org.merpati.ejb.mailauth.dmarc.DmarcResult;
import org.merpati.ejb.mailauth.dmarc.DmarcVerdict;
import org.merpati.ejb.mailauth.spf.SpfDns;
import org.merpati.ejb.mailauth.spf.SpfEvaluator;
import org.merpati.ejb.mailauth.spf.SpfResult;
import org.merpati.ejb.mailauth.spf.SpfVerdict;

/**
 * Authenticates one message received on the MX port: SPF for the HELO name and for MAIL FROM, DKIM and ARC
 * through {@link MessageVerification}, DMARC for each RFC5322.From domain; returns the Authentication-Results
 * field and the action the DMARC policy asks for. Plain Java (DNS and the verifier are given), run before any
 * transaction.
 *
 * <p>Decisions that are ours, not the RFCs': SPF alone never rejects (DMARC decides); a message without exactly
 * one From field with an address is rejected as RFC 7489 section 6.6.1 says such messages "are typically"
 * (dmarc=permerror); with several From addresses each domain is checked and the strictest disposition wins
 * (same section); when DKIM/ARC verification itself breaks, or no verifier is available, a DMARC fail becomes
 * temperror, so that our own failure never rejects mail.
 */
public final class InboundAuthenticator {

    private static final Logger LOG = Logger.getLogger(InboundAuthenticator.class);

    private final MailAuthSettings settings;
    private final SpfEvaluator spf;
    private final DmarcEvaluator dmarc;
    private final MessageVerification verifier;

    /**
     * @param verifier   DKIM and ARC verification, or null when none is available (DKIM and ARC are then not
     *                   reported, and DMARC is not enforced on a fail)
     * @param percentile 0..99 per call, for DMARC pct= sampling
     */
    public InboundAuthenticator(MailAuthSettings settings, SpfDns dns, MessageVerification verifier,
                                IntSupplier percentile, Clock clock) {
        this.settings = settings;
        this.spf = new SpfEvaluator(dns, settings.authservId(), clock);
        this.dmarc = new DmarcEvaluator(dns::txt, percentile, settings.trustArc(), settings.trustedSealers());
        this.verifier = verifier;
    }

    /** The message as it should be stored: every incoming Authentication-Results claiming our id left out. */
    public ForgedResultsFilter withoutForgedResults(InputStream message) {
        return new ForgedResultsFilter(message, settings.authservId());
    }

    /**
     * @param clientAddress the SMTP client's IP address as text
     * @param helo          the EHLO/HELO name (may be null)
     * @param reversePath   MAIL FROM ("" or null for the null sender)
     * @param message       the spooled message as received
     */
    public InboundVerdict authenticate(String clientAddress, String helo, String reversePath, Path message) {
        InetAddress ip = parseAddress(clientAddress);
        String heloName = helo == null ? "" : helo.strip();
        boolean nullSender = reversePath == null || reversePath.isEmpty();
        SpfVerdict heloVerdict;
        SpfVerdict mailFromVerdict;
        if (ip == null) {
            heloVerdict = new SpfVerdict(SpfResult.NONE, "postmaster@" + heloName, heloName, null, "no client address");
            mailFromVerdict = nullSender ? heloVerdict : new SpfVerdict(SpfResult.NONE, reversePath,
                    domainOf(reversePath), null, "no client address");
        } else {
            heloVerdict = spf.checkHelo(ip, heloName);
            // the null sender's MAIL FROM identity is postmaster@<helo>: the same check (RFC 7208 section 2.4)
            mailFromVerdict = nullSender ? heloVerdict : spf.checkMailFrom(ip, heloName, reversePath);
        }

        List<DkimResult> dkim = List.of();
        ArcResult arc = ArcResult.NONE;
        boolean verified = verifier != null;
        if (verifier != null) {
            try {
                dkim = verifier.verifyDkim(message);
                arc = verifier.verifyArc(message);
            } catch (IOException | RuntimeException e) {
                LOG.warnf(e, "DKIM/ARC verification of %s failed", message);
                verified = false;
                dkim = List.of();
                arc = ArcResult.NONE;
            }
        }

        AuthorDomains authors;
        try {
            authors = AuthorDomains.read(message);
        } catch (IOException e) {
            LOG.warnf(e, "Could not read the header of %s", message);
            authors = null;
        }

        AuthenticationResults results = new AuthenticationResults(settings.authservId());
        addSpf(results, mailFromVerdict, "smtp.mailfrom");
        if (!heloName.isEmpty()) {
            addSpf(results, heloVerdict, "smtp.helo");
        }
        if (verifier != null && verified) {
            if (dkim.isEmpty()) {
                results.add("dkim", "none", null);
            }
            for (DkimResult result : dkim) {
                results.add("dkim", keyword(result.result(), "permerror"), result.reason(),
                        "header.d", result.domain(), "header.i", result.identity(), "header.s", result.selector(),
                        "header.a", result.algorithm(), "header.b", result.signaturePrefix());
            }
            results.add("arc", keyword(arc.result(), "fail"), arc.reason(), "smtp.remote-ip",
                    ip == null ? null : ip.getHostAddress());
        } else {
            results.add("dkim", "temperror", "not verified");
        }

        List<DmarcVerdict> dmarcVerdicts = new ArrayList<>();
        InboundVerdict.Action action = InboundVerdict.Action.ACCEPT;
        String replyText = null;
        if (authors == null || !authors.usable()) {
            String why = authors == null ? "header unreadable"
                    : authors.fromFields() == 0 ? "no From field"
                    : authors.fromFields() > 1 ? "several From fields" : "no From address with a domain";
            // Several From fields are the known trick to show one author and have another checked: refused.
            // A message without any From (or without an address in it) claims no author domain to impersonate;
            // it is recorded and delivered, as MTAs have always done with such mail.
            results.add("dmarc", authors != null && authors.fromFields() == 0 ? "none" : "permerror", why);
            if (authors != null && authors.fromFields() > 1) {
                action = InboundVerdict.Action.REJECT;
                replyText = "Message must have exactly one From field with an address (RFC 5322): " + why;
            }
        } else {
            for (String domain : authors.domains()) {
                DmarcVerdict verdict = dmarc.evaluate(domain, mailFromVerdict, dkim, arc);
                if (verdict.result() == DmarcResult.FAIL && !verified) {
                    verdict = new DmarcVerdict(DmarcResult.TEMPERROR, verdict.fromDomain(), verdict.policy(),
                            DmarcPolicy.NONE, null, "DKIM not verified");
                }
                dmarcVerdicts.add(verdict);
                results.add("dmarc", verdict.result().keyword(), dmarcComment(verdict),
                        "header.from", verdict.fromDomain());
                InboundVerdict.Action wanted = switch (verdict.disposition()) {
                    case REJECT -> InboundVerdict.Action.REJECT;
                    case QUARANTINE -> InboundVerdict.Action.QUARANTINE;
                    case NONE -> verdict.result() == DmarcResult.TEMPERROR && settings.deferOnTempError()
                            ? InboundVerdict.Action.DEFER : InboundVerdict.Action.ACCEPT;
                };
                if (wanted.compareTo(action) > 0) {
                    action = wanted;
                    replyText = switch (wanted) {
                        case REJECT -> "Rejected by the DMARC policy of " + verdict.fromDomain();
                        case DEFER -> "DMARC of " + verdict.fromDomain() + " could not be checked, try again later";
                        default -> null;
                    };
                }
            }
        }
        return new InboundVerdict(results.field(), results.value(), action, replyText, mailFromVerdict, heloVerdict,
                dkim, arc, List.copyOf(dmarcVerdicts));
    }

    private static void addSpf(AuthenticationResults results, SpfVerdict verdict, String property) {
        String comment = verdict.problem() != null ? verdict.problem() : verdict.explanation();
        String identity = property.equals("smtp.helo") ? verdict.domain() : verdict.identity();
        results.add("spf", verdict.result().keyword(), comment, property, identity);
    }

    private static String dmarcComment(DmarcVerdict verdict) {
        if (verdict.policy() == null) {
            return verdict.reason();
        }
        StringBuilder comment = new StringBuilder("p=").append(verdict.policy().keyword());
        if (verdict.result() == DmarcResult.FAIL) {
            comment.append(" dis=").append(verdict.disposition().keyword());
        }
        if (verdict.override() != null) {
            comment.append(" override=").append(verdict.override());
        }
        if (verdict.reason() != null) {
            comment.append("; ").append(verdict.reason());
        }
        return comment.toString();
    }

    /** A result keyword from the verifier, or the fallback when it is not one (never trusted into the header). */
    private static String keyword(String result, String fallback) {
        return result != null && result.matches("[a-z]+") ? result : fallback;
    }

    private static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? address : address.substring(at + 1);
    }

    /** The client address as a literal: brackets, an "IPv6:" tag and a zone are dropped; never a DNS query. */
    static InetAddress parseAddress(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String literal = text.strip();
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        if (literal.regionMatches(true, 0, "IPv6:", 0, 5)) {
            literal = literal.substring(5);
        }
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        if (literal.startsWith("/")) {
            literal = literal.substring(1);
        }
        if (!literal.matches("[0-9A-Fa-f:.]+") || !(literal.contains(":") || literal.matches("[0-9.]+"))) {
            return null;
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
