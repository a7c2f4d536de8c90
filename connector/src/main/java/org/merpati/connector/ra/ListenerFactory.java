package org.merpati.connector.ra;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

import io.netty.handler.ssl.SslContext;

import org.merpati.connector.api.MailDeliveryListener;
import org.merpati.connector.api.access.ImapListener;
import org.merpati.connector.api.access.Pop3Listener;
import org.merpati.connector.endpoint.EndpointDispatcher;
import org.merpati.connector.imap.netty.ImapProtocolHandlers;
import org.merpati.connector.imap.proto.ImapSessionConfig;
import org.merpati.connector.netty.ListenerSettings;
import org.merpati.connector.netty.NettyEventLoops;
import org.merpati.connector.netty.NettyListener;
import org.merpati.connector.netty.TlsContextFactory;
import org.merpati.connector.netty.TlsMode;
import org.merpati.connector.netty.TlsSettings;
import org.merpati.connector.pop3.netty.Pop3ProtocolHandlers;
import org.merpati.connector.pop3.proto.Pop3SessionConfig;
import org.merpati.connector.sasl.AuthFailureDelay;
import org.merpati.connector.smtp.netty.SmtpProtocolHandlers;
import org.merpati.connector.smtp.proto.SmtpSessionConfig;
import org.merpati.connector.spool.SpoolDirectory;

/** Turns activation spec properties into a ready-to-start listener. */
final class ListenerFactory {

    private ListenerFactory() {
    }

    /** Failed submission AUTH attempts are answered after this delay, doubling (not configurable, like IMAP and POP3). */
    static final long SUBMISSION_AUTH_FAILURE_DELAY_MILLIS = AuthFailureDelay.DEFAULT_BASE_MILLIS;

    /** An SMTP (MX), LMTP or submission listener. */
    static NettyListener create(MailListenerProperties p, NettyEventLoops loops,
                                EndpointDispatcher<? extends MailDeliveryListener> dispatcher)
        throws IOException, GeneralSecurityException {
        TlsMode mode = TlsMode.parse(p.getTlsMode());
        boolean lmtp = "LMTP".equals(p.protocol());
        SslContext ssl = mode == TlsMode.NONE ? null : TlsContextFactory.create(tlsSettings(p));
        SmtpSessionConfig session = new SmtpSessionConfig(p.getServerName(), lmtp, p.getMaxLineLength(), p.getMaxMessageSize(),
            p.getMaxRecipients(), p.getMaxErrors(), Boolean.TRUE.equals(p.getVrfyEnabled()), mode == TlsMode.STARTTLS);
        if (p instanceof SubmissionActivationSpec submission) {
            session = session.asSubmission(Boolean.TRUE.equals(submission.getAllowPlaintextAuth()), submission.getMaxAuthFailures(),
                SUBMISSION_AUTH_FAILURE_DELAY_MILLIS);
        }
        ListenerSettings listener = new ListenerSettings(p.protocol(), p.getBindAddress(), p.getPort(), mode,
            p.getMaxConnections(), p.getMaxConnectionsPerIp(), p.getIdleTimeoutSeconds());
        return new NettyListener(listener, loops, ssl,
            new SmtpProtocolHandlers(session, mode, dispatcher, new SpoolDirectory(Path.of(p.getSpoolDirectory()))));
    }

    static TlsSettings tlsSettings(MailListenerProperties p) {
        boolean pem = p.getTlsCertificate() != null && !p.getTlsCertificate().isBlank();
        return new TlsSettings(p.getServerName(), Path.of(p.getTlsKeystore()), p.getTlsKeystorePassword(),
            pem ? Path.of(p.getTlsCertificate()) : null, pem ? Path.of(p.getTlsPrivateKey()) : null);
    }

    /** A POP3 listener; failed logins are answered after 1 s, doubling (not configurable on purpose). */
    static NettyListener createPop3(Pop3ActivationSpec p, NettyEventLoops loops, EndpointDispatcher<? extends Pop3Listener> dispatcher)
        throws IOException, GeneralSecurityException {
        TlsMode mode = TlsMode.parse(p.getTlsMode());
        boolean pem = p.getTlsCertificate() != null && !p.getTlsCertificate().isBlank();
        SslContext ssl = mode == TlsMode.NONE ? null : TlsContextFactory.create(new TlsSettings(p.getServerName(),
            Path.of(p.getTlsKeystore()), p.getTlsKeystorePassword(),
            pem ? Path.of(p.getTlsCertificate()) : null, pem ? Path.of(p.getTlsPrivateKey()) : null));
        Pop3SessionConfig session = new Pop3SessionConfig(p.getServerName(), p.getMaxLineLength(), p.getMaxErrors(),
            p.getMaxAuthFailures(), Pop3SessionConfig.DEFAULT_AUTH_FAILURE_DELAY_MILLIS,
            Boolean.TRUE.equals(p.getAllowPlaintextAuth()), mode == TlsMode.STARTTLS);
        ListenerSettings listener = new ListenerSettings(p.protocol(), p.getBindAddress(), p.getPort(), mode,
            p.getMaxConnections(), p.getMaxConnectionsPerIp(), p.getIdleTimeoutSeconds());
        return new NettyListener(listener, loops, ssl, new Pop3ProtocolHandlers(session, mode, dispatcher));
    }

    /** Failed IMAP logins are answered after this delay, doubling with each (not configurable on purpose). */
    static final long IMAP_AUTH_FAILURE_DELAY_MILLIS = 1000;
    /** Messages per endpoint call while a FETCH streams. */
    static final int IMAP_FETCH_BATCH = 50;

    /** An IMAP listener. */
    static NettyListener createImap(ImapActivationSpec p, NettyEventLoops loops, EndpointDispatcher<? extends ImapListener> dispatcher)
        throws IOException, GeneralSecurityException {
        TlsMode mode = TlsMode.parse(p.getTlsMode());
        boolean pem = p.getTlsCertificate() != null && !p.getTlsCertificate().isBlank();
        SslContext ssl = mode == TlsMode.NONE ? null : TlsContextFactory.create(new TlsSettings(p.getServerName(),
            Path.of(p.getTlsKeystore()), p.getTlsKeystorePassword(),
            pem ? Path.of(p.getTlsCertificate()) : null, pem ? Path.of(p.getTlsPrivateKey()) : null));
        ImapSessionConfig session = new ImapSessionConfig(p.getServerName(), p.getMaxLineLength(), p.getMaxLiteralSize(),
            p.getMaxErrors(), p.getMaxAuthFailures(), Boolean.TRUE.equals(p.getAllowPlaintextAuth()), mode == TlsMode.STARTTLS,
            mode == TlsMode.IMPLICIT, true, IMAP_AUTH_FAILURE_DELAY_MILLIS, IMAP_FETCH_BATCH);
        ListenerSettings listener = new ListenerSettings(p.protocol(), p.getBindAddress(), p.getPort(), mode,
            p.getMaxConnections(), p.getMaxConnectionsPerIp(), p.getIdleTimeoutSeconds());
        return new NettyListener(listener, loops, ssl, new ImapProtocolHandlers(session, mode, dispatcher,
            new SpoolDirectory(Path.of(p.getSpoolDirectory())), p.getMaxConnectionsPerUser(), p.getAuthenticatedIdleTimeoutSeconds()));
    }
}
