package org.merpati.ejb.mailauth.inbound;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

import org.merpati.ejb.dns.DnsClient;
import org.merpati.ejb.mailauth.spf.SpfDns;
import org.merpati.ejb.platform.MerpatiConfig;

/**
 * The process's inbound authenticator, built once from {@link MailAuthSettings}; none at all when
 * {@code MERPATI_MAIL_AUTH=false}, so that a disabled check costs nothing.
 */
public final class InboundAuthentication {

    private static volatile Holder holder;

    private record Holder(InboundAuthenticator authenticator) {
    }

    private InboundAuthentication() {
    }

    /** The authenticator, or null when inbound authentication is switched off. */
    public static InboundAuthenticator authenticator() {
        Holder h = holder;
        if (h == null) {
            synchronized (InboundAuthentication.class) {
                h = holder;
                if (h == null) {
                    MailAuthSettings settings = MailAuthSettings.from(MerpatiConfig.current());
                    h = new Holder(settings.enabled()
                            ? new InboundAuthenticator(settings, SpfDns.of(DnsClient.current()),
                                    MessageVerifiers.lookup(), () -> ThreadLocalRandom.current().nextInt(100),
                                    Clock.systemUTC())
                            : null);
                    holder = h;
                }
            }
        }
        return h.authenticator();
    }
}
