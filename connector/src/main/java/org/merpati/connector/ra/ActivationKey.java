package org.merpati.connector.ra;

import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;

/** Identifies one endpoint activation, as activemq-ra's {@code ActiveMQEndpointActivationKey} does. */
record ActivationKey(MessageEndpointFactory factory, ActivationSpec spec) {
}
