package org.merpati.connector.smtp.proto;

/**
 * A parsed command line. One record per command shape, so the session switches on types rather than on
 * strings.
 */
public sealed interface SmtpCommand {

    SmtpVerb verb();

    /** EHLO, HELO or LHLO with the client's self-given name. */
    record Hello(SmtpVerb verb, String domain) implements SmtpCommand {
    }

    /** MAIL FROM with its path and ESMTP parameters. */
    record Mail(MailPath path, MailParameters parameters) implements SmtpCommand {
        @Override
        public SmtpVerb verb() {
            return SmtpVerb.MAIL;
        }
    }

    /**
     * RCPT TO with its RFC 3461 parameters.
     *
     * @param dsnNotify NOTIFY value in upper case, or null
     * @param orcpt  ORCPT value as sent, or null
     */
    record Rcpt(MailPath path, String dsnNotify, String orcpt) implements SmtpCommand {
        @Override
        public SmtpVerb verb() {
            return SmtpVerb.RCPT;
        }
    }

    /** BDAT with the chunk size in octets and whether it is the last chunk (RFC 3030). */
    record Bdat(long size, boolean last) implements SmtpCommand {
        @Override
        public SmtpVerb verb() {
            return SmtpVerb.BDAT;
        }
    }

    /**
     * AUTH (RFC 4954) with the mechanism in upper case and the initial response (RFC 4954 section 4, SASL-IR) as
     * sent, or null when the client gave none.
     */
    record Auth(String mechanism, String initialResponse) implements SmtpCommand {
        @Override
        public SmtpVerb verb() {
            return SmtpVerb.AUTH;
        }

        @Override
        public String toString() {
            // never the credentials: commands end up in logs and test output
            return "Auth[mechanism=" + mechanism + (initialResponse == null ? "" : ", initialResponse=...") + "]";
        }
    }

    /** A command that is its verb plus an optional free text argument (NOOP, HELP, VRFY) or nothing at all. */
    record Simple(SmtpVerb verb, String argument) implements SmtpCommand {
    }
}
