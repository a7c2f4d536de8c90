package org.merpati.ejb.mailauth.dkim;

/** Messages the signing and verification tests share. */
public final class DkimTestMessages {

    private DkimTestMessages() {
    }

    public static final String SIMPLE = "From: Alice <alice@example.com>\r\n"
            + "To: Bob <bob@example.org>\r\n"
            + "Subject: Lunch\r\n"
            + "Date: Tue, 1 Dec 2026 09:00:00 +0000\r\n"
            + "Message-ID: <lunch-1@example.com>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "\r\n"
            + "Noon at the usual place?\r\n"
            + "\r\n"
            + "-- \r\n"
            + "Alice\r\n";
}
