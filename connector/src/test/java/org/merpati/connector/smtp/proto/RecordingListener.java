package org.merpati.connector.smtp.proto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

import org.merpati.connector.api.Envelope;
import org.merpati.connector.api.LmtpListener;
import org.merpati.connector.api.Reply;
import org.merpati.connector.api.Recipient;
import org.merpati.connector.api.SessionInfo;
import org.merpati.connector.api.SmtpListener;
import org.merpati.connector.api.SubmissionListener;

/** A listener that accepts by default and records every call, for session and server tests. */
public class RecordingListener implements SmtpListener, LmtpListener, SubmissionListener {

    /** One delivered message as the endpoint saw it. */
    public record Delivery(SessionInfo session, Envelope envelope, String content, Path spool, long size) {
    }

    public volatile Function<String, Reply> senderVerdict = s -> null;
    public volatile Function<String, Reply> recipientVerdict = r -> null;
    public volatile Function<Envelope, List<Reply>> deliverVerdict =
        e -> Collections.nCopies(e.recipients().size(), Reply.ok("2.0.0", "queued as 42"));
    public volatile RuntimeException throwOnDeliver;
    /** Accounts for {@link #authenticate}: address to password. */
    public final java.util.Map<String, String> passwords = new java.util.concurrent.ConcurrentHashMap<>();
    public volatile RuntimeException throwOnAuthenticate;
    public final List<Delivery> deliveries = Collections.synchronizedList(new ArrayList<>());
    public final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    @Override
    public String authenticate(SessionInfo session, String authzid, String authcid, String password) {
        calls.add("authenticate " + authcid + (authzid == null ? "" : " as " + authzid));
        RuntimeException toThrow = throwOnAuthenticate;
        if (toThrow != null) {
            throw toThrow;
        }
        String account = authcid.toLowerCase(java.util.Locale.ROOT);
        boolean ok = password.equals(passwords.get(account)) && (authzid == null || authzid.equalsIgnoreCase(account));
        return ok ? account : null;
    }

    @Override
    public Reply checkSender(SessionInfo session, String reversePath) {
        calls.add("sender " + reversePath);
        return senderVerdict.apply(reversePath);
    }

    @Override
    public Reply checkRecipient(SessionInfo session, String reversePath, Recipient recipient, long declaredSize) {
        calls.add("recipient " + recipient.address());
        return recipientVerdict.apply(recipient.address());
    }

    @Override
    public List<Reply> deliver(SessionInfo session, Envelope envelope, Path spool, long size) {
        calls.add("deliver");
        RuntimeException toThrow = throwOnDeliver;
        if (toThrow != null) {
            throwOnDeliver = null;
            throw toThrow;
        }
        try {
            String content = new String(Files.readAllBytes(spool), StandardCharsets.ISO_8859_1);
            deliveries.add(new Delivery(session, envelope, content, spool, size));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return deliverVerdict.apply(envelope);
    }
}
