package org.merpati.connector.ra;

import jakarta.resource.spi.Activation;
import jakarta.resource.spi.ActivationSpec;

import org.merpati.connector.api.LmtpListener;

/**
 * Configures an LMTP listener (RFC 2033) for an MDB implementing {@link LmtpListener}; binds to loopback by default,
 * since LMTP has no access control of its own.
 */
@Activation(messageListeners = LmtpListener.class)
public class LmtpActivationSpec extends SmtpFamilyActivationProperties implements ActivationSpec {

    public LmtpActivationSpec() {
        super("127.0.0.1", 2424, "NONE");
    }

    @Override
    public String protocol() {
        return "LMTP";
    }

    @Override
    public String toString() {
        return "LmtpActivationSpec[" + getBindAddress() + ":" + getPort() + " " + getTlsMode() + "]";
    }
}
