package org.merpati.connector.ra;

import jakarta.resource.spi.Activation;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.InvalidPropertyException;

import org.merpati.connector.smtp.proto.SmtpSessionConfig;
import org.merpati.connector.api.SubmissionListener;

/**
 * Configures a message submission listener (RFC 6409 on port 587 with STARTTLS, or RFC 8314 on port 465 with
 * {@code tlsMode=IMPLICIT}) for an MDB implementing {@link SubmissionListener}: SMTP with AUTH required before
 * MAIL.
 */
@Activation(messageListeners = SubmissionListener.class)
public class SubmissionActivationSpec extends SmtpFamilyActivationProperties implements ActivationSpec {

    public SubmissionActivationSpec() {
        super("0.0.0.0", 2587, "STARTTLS");
    }

    @ConfigProperty(type = Boolean.class, description = "Whether AUTH is allowed without TLS (never on a public port)", defaultValue = "false")
    private Boolean allowPlaintextAuth = Boolean.FALSE;

    @ConfigProperty(type = Integer.class, description = "Failed AUTH attempts before the connection is closed with 421", defaultValue = "3")
    private Integer maxAuthFailures = SmtpSessionConfig.DEFAULT_MAX_AUTH_FAILURES;

    public Boolean getAllowPlaintextAuth() {
        return allowPlaintextAuth;
    }

    public void setAllowPlaintextAuth(Boolean allowPlaintextAuth) {
        this.allowPlaintextAuth = allowPlaintextAuth;
    }

    public Integer getMaxAuthFailures() {
        return maxAuthFailures;
    }

    public void setMaxAuthFailures(Integer maxAuthFailures) {
        this.maxAuthFailures = maxAuthFailures;
    }

    @Override
    public String protocol() {
        return "SUBMISSION";
    }

    @Override
    public void validate() throws InvalidPropertyException {
        super.validate();
        if (maxAuthFailures == null || maxAuthFailures < 1) {
            throw new InvalidPropertyException("maxAuthFailures: must be positive");
        }
    }

    @Override
    public String toString() {
        return "SubmissionActivationSpec[" + getBindAddress() + ":" + getPort() + " " + getTlsMode() + "]";
    }
}
