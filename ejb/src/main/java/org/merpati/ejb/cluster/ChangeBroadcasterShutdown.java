package org.merpati.ejb.cluster;

import jakarta.annotation.PreDestroy;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;

/** Closes the broadcaster's shared JMS connection when the application stops (undeploy, shutdown). */
@Singleton
@Startup
public class ChangeBroadcasterShutdown {

    @PreDestroy
    void close() {
        ChangeBroadcaster.reset();
    }
}
