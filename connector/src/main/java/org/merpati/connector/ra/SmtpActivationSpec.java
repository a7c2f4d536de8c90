package org.merpati.connector.ra;

import jakarta.resource.spi.Activation;
import jakarta.resource.spi.ActivationSpec;

import org.merpati.connector.api.SmtpListener;

/**
 * Configures an SMTP (MX) listener for an MDB implementing {@link SmtpListener}; the properties are in
 * {@link SmtpFamilyActivationProperties}.
 */
@Activation(messageListeners = SmtpListener.class)
public class SmtpActivationSpec extends SmtpFamilyActivationProperties implements ActivationSpec {

    public SmtpActivationSpec() {
        super("0.0.0.0", 2525, "STARTTLS");
    }

    @Override
    public String protocol() {
        return "SMTP";
    }

    @Override
    public String toString() {
        return "SmtpActivationSpec[" + getBindAddress() + ":" + getPort() + " " + getTlsMode() + "]";
    }
}
