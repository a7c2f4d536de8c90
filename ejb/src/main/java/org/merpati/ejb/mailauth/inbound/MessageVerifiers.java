package org.merpati.ejb.mailauth.inbound;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;

import org.jboss.logging.Logger;
import org.merpati.ejb.mailauth.MessageVerification;

/**
 * Finds the server's DKIM/ARC verifier: the {@link MessageVerification} bean of the deployment (an EJB or CDI
 * bean implementing it). Without one, inbound authentication reports DKIM as not verified and never enforces
 * a DMARC fail (see {@link InboundAuthenticator}).
 */
public final class MessageVerifiers {

    private static final Logger LOG = Logger.getLogger(MessageVerifiers.class);

    private MessageVerifiers() {
    }

    public static MessageVerification lookup() {
        try {
            Instance<MessageVerification> instance = CDI.current().select(MessageVerification.class);
            if (instance.isResolvable()) {
                return instance.get();
            }
        } catch (RuntimeException e) {
            LOG.debugf(e, "No CDI container to look up MessageVerification in");
        }
        LOG.warn("No MessageVerification bean: DKIM and ARC are not verified, DMARC failures are not enforced");
        return null;
    }
}
