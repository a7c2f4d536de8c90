package org.merpati.ejb.mailauth;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.merpati.ejb.dns.DnsClient;
import org.merpati.ejb.mailauth.arc.ArcVerifier;
import org.merpati.ejb.mailauth.dkim.DkimVerifier;
import org.merpati.ejb.mailauth.dkim.KeyLookup;
import org.merpati.ejb.mailauth.dkim.MessageHeader;

/**
 * {@link MessageVerification} over the in-house DKIM engine: DKIM-Signature and ARC checks of a stored message,
 * keys from DNS. Thread-safe; build one per {@link DnsClient}.
 */
public final class DkimArcVerifier implements MessageVerification {

    private final DkimVerifier dkim;
    private final ArcVerifier arc;

    public DkimArcVerifier(DnsClient dns) {
        this(dns::txt, Clock.systemUTC());
    }

    public DkimArcVerifier(KeyLookup keys, Clock clock) {
        this.dkim = new DkimVerifier(keys, clock, MessageHeader.DEFAULT_MAX_BYTES);
        this.arc = new ArcVerifier(keys, clock, MessageHeader.DEFAULT_MAX_BYTES);
    }

    @Override
    public List<DkimResult> verifyDkim(Path message) throws IOException {
        return dkim.verify(message);
    }

    @Override
    public ArcResult verifyArc(Path message) throws IOException {
        return arc.verify(message);
    }
}
