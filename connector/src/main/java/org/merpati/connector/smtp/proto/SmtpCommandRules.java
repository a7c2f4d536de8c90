package org.merpati.connector.smtp.proto;

import static org.merpati.connector.smtp.proto.SmtpSessionState.CHUNKING;
import static org.merpati.connector.smtp.proto.SmtpSessionState.CONNECTED;
import static org.merpati.connector.smtp.proto.SmtpSessionState.GREETED;
import static org.merpati.connector.smtp.proto.SmtpSessionState.MAIL;
import static org.merpati.connector.smtp.proto.SmtpSessionState.RCPT;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.merpati.connector.api.Reply;

/**
 * Which command is valid in which state, declared as one table (Dovecot's {@code imap-commands.c} habit), so
 * the order rules of RFC 5321 section 4.1.4, RFC 3030 and RFC 2033 can be read in one place instead of being
 * scattered through {@code if}s. The session consults {@link #check} before it acts on any command.
 */
public final class SmtpCommandRules {

    /** One row: the states a verb is valid in, the protocols it exists in, and the reply when out of order. */
    record Rule(Set<SmtpSessionState> validIn, boolean smtp, boolean lmtp, Reply outOfOrder) {
    }

    private static final Set<SmtpSessionState> ANY = EnumSet.allOf(SmtpSessionState.class);
    private static final Reply NEED_HELLO = new Reply(503, "5.5.1", "say hello first (EHLO/HELO/LHLO)");
    private static final Map<SmtpVerb, Rule> TABLE = new EnumMap<>(SmtpVerb.class);

    static {
        row(SmtpVerb.EHLO, ANY, true, false, null);
        row(SmtpVerb.HELO, ANY, true, false, null);
        row(SmtpVerb.LHLO, ANY, false, true, null);
        row(SmtpVerb.MAIL, EnumSet.of(GREETED), true, true, new Reply(503, "5.5.1", "nested MAIL command"));
        row(SmtpVerb.RCPT, EnumSet.of(MAIL, RCPT), true, true, new Reply(503, "5.5.1", "need MAIL before RCPT"));
        row(SmtpVerb.DATA, EnumSet.of(RCPT), true, true, new Reply(503, "5.5.1", "need RCPT before DATA"));
        row(SmtpVerb.BDAT, EnumSet.of(RCPT, CHUNKING), true, true, new Reply(503, "5.5.1", "need RCPT before BDAT"));
        row(SmtpVerb.STARTTLS, EnumSet.of(GREETED), true, true, new Reply(503, "5.5.1", "STARTTLS only after EHLO and outside a transaction"));
        // RFC 4954 section 4: after EHLO, not during a transaction; only submission listeners parse AUTH at all
        row(SmtpVerb.AUTH, EnumSet.of(GREETED), true, false, new Reply(503, "5.5.1", "AUTH not permitted during a mail transaction"));
        row(SmtpVerb.RSET, ANY, true, true, null);
        row(SmtpVerb.NOOP, ANY, true, true, null);
        row(SmtpVerb.QUIT, ANY, true, true, null);
        row(SmtpVerb.HELP, ANY, true, true, null);
        row(SmtpVerb.VRFY, ANY, true, true, null);
    }

    private static void row(SmtpVerb verb, Set<SmtpSessionState> validIn, boolean smtp, boolean lmtp, Reply outOfOrder) {
        TABLE.put(verb, new Rule(validIn, smtp, lmtp, outOfOrder));
    }

    private SmtpCommandRules() {
    }

    /**
     * @return null when {@code verb} may run in {@code state}, else the reply that refuses it
     */
    public static Reply check(SmtpVerb verb, SmtpSessionState state, boolean lmtp) {
        Rule rule = TABLE.get(verb);
        if (rule == null || !(lmtp ? rule.lmtp() : rule.smtp())) {
            return new Reply(500, "5.5.1", "command not recognized");
        }
        if (rule.validIn().contains(state)) {
            return null;
        }
        if (state == CONNECTED) {
            return NEED_HELLO;
        }
        if (verb == SmtpVerb.DATA && state == MAIL) {
            return new Reply(554, "5.5.1", "no valid recipients");
        }
        if (verb == SmtpVerb.DATA && state == CHUNKING) {
            return new Reply(503, "5.5.1", "DATA cannot follow BDAT in one transaction");
        }
        return rule.outOfOrder();
    }
}
