package org.merpati.ejb.mailauth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.merpati.ejb.dns.DnsClient;

/**
 * Makes the server's {@link MessageVerification} a CDI bean (one per deployment, keys through
 * {@link DnsClient#current()}), so that inbound authentication finds it with
 * {@code CDI.current().select(MessageVerification.class)} or {@code @Inject}.
 */
@ApplicationScoped
public class MessageVerificationProducer {

    @Produces
    @ApplicationScoped
    MessageVerification messageVerification() {
        return new DkimArcVerifier(DnsClient.current());
    }
}
