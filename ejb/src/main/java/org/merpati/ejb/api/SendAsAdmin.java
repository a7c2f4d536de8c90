package org.merpati.ejb.api;

import jakarta.ejb.Local;
import java.util.List;

/**
 * Administration of send-as grants: addresses an account may use as sender on submission besides its own
 * address and the aliases that point at it (shared and role mailboxes). Failures are
 * {@link org.merpati.ejb.domain.MailException}s: NOT_FOUND for an unknown account or grant, EXISTS for a
 * duplicate, INVALID for a malformed address.
 */
@Local
public interface SendAsAdmin {

    /** @param address a mailbox address, or {@code @domain} for the whole domain */
    SendAsView grantSendAs(String account, String address);

    List<SendAsView> listSendAs(String account);

    void revokeSendAs(String account, String address);
}
