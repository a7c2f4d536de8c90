package org.merpati.ejb.submission;

import org.merpati.connector.api.Reply;

/** The replies particular to submission (RFC 6409, RFC 4954, RFC 3463 codes). */
final class SubmissionReplies {

    private SubmissionReplies() {
    }

    /** RFC 4954 section 6: MAIL before AUTH. */
    static Reply authenticationRequired() {
        return new Reply(530, "5.7.0", "Authentication required");
    }

    static Reply nullSender() {
        return new Reply(553, "5.7.1", "Sender address rejected: the null sender is for bounces, not for users");
    }

    static Reply badSenderSyntax(String why) {
        return new Reply(501, "5.1.7", "Bad sender address syntax: " + why);
    }

    static Reply senderNotOwned(String user) {
        return new Reply(553, "5.7.1", "Sender address rejected: not owned by user " + user);
    }

    /** A From: or Sender: mailbox the account may not use. */
    static Reply authorNotOwned(String address, String user) {
        return new Reply(553, "5.7.1", "From address rejected: " + shorten(address) + " not owned by user " + user);
    }

    /** The header cannot be judged: no From:, nothing in it, malformed (554 after DATA; 5.6.0 a content problem). */
    static Reply badHeader(String problem) {
        return new Reply(554, "5.6.0", problem);
    }

    static Reply senderRateLimited(String user) {
        return new Reply(451, "4.7.1", "Too many messages from " + user + ", try again later");
    }

    static Reply domainRateLimited(String domain) {
        return new Reply(451, "4.7.1", "Too many messages to " + domain + ", try again later");
    }

    static Reply addressLiteral() {
        return new Reply(553, "5.1.3", "Address literals are not accepted as recipients");
    }

    static Reply routingTrick(String what) {
        return new Reply(553, "5.7.1", "Relay access denied (" + what + ")");
    }

    private static String shorten(String s) {
        return s.length() <= 320 ? s : s.substring(0, 320) + "...";
    }
}
