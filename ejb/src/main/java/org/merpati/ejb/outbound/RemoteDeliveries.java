package org.merpati.ejb.outbound;

import java.util.function.Supplier;
import org.merpati.ejb.outbound.smtp.SmtpRemoteDelivery;

/**
 * The {@link RemoteDelivery} of this process: the SMTP client built from the configuration, once (it is
 * thread-safe and keeps DNS and MTA-STS caches). Tests and tools may install another.
 */
public final class RemoteDeliveries {

    private static volatile Supplier<RemoteDelivery> factory = SmtpRemoteDelivery::fromConfig;
    private static volatile RemoteDelivery current;

    private RemoteDeliveries() {
    }

    public static RemoteDelivery current() {
        RemoteDelivery d = current;
        if (d == null) {
            synchronized (RemoteDeliveries.class) {
                d = current;
                if (d == null) {
                    d = factory.get();
                    current = d;
                }
            }
        }
        return d;
    }

    /** Replaces the delivery (a fake in tests); the next {@link #current()} builds from {@code supplier}. */
    public static synchronized void use(Supplier<RemoteDelivery> supplier) {
        factory = supplier;
        current = null;
    }
}
