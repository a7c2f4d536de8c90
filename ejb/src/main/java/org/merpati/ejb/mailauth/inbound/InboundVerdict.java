package org.merpati.ejb.mailauth.inbound;

import java.util.List;

import org.merpati.ejb.mailauth.ArcResult;
import org.merpati.ejb.mailauth.DkimResult;
import org.merpati.ejb.mailauth.dmarc.DmarcVerdict;
import org.merpati.ejb.mailauth.spf.SpfVerdict;

/**
 * What inbound authentication concluded about one message.
 *
 * @param field        the Authentication-Results header field to prepend (folded, ending in CRLF)
 * @param resultsValue the same field's value unfolded (for an ARC-Authentication-Results when forwarding)
 * @param action       what the DMARC policy asks for this message
 * @param replyText    the enhanced status code and text for a 550 (REJECT) or 451 (DEFER), else null
 */
public record InboundVerdict(String field, String resultsValue, Action action, String replyText, SpfVerdict mailFrom,
                             SpfVerdict helo, List<DkimResult> dkim, ArcResult arc, List<DmarcVerdict> dmarc) {

    /** The disposition, strictest last. */
    public enum Action {
        /** Deliver normally. */
        ACCEPT,
        /** Deliver to the recipient's Junk folder. */
        QUARANTINE,
        /** 451: DMARC could not be decided and the configuration asks to defer. */
        DEFER,
        /** 550 5.7.1: store nothing. */
        REJECT
    }
}
