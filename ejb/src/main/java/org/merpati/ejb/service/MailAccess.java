package org.merpati.ejb.service;

import jakarta.ejb.Local;
import org.merpati.connector.api.access.MailAccessListener;

/**
 * The local business interface of {@link MailAccessService}: exactly the mailbox access contract, so the
 * IMAP and POP3 MDBs delegate each listener call one to one.
 */
@Local
public interface MailAccess extends MailAccessListener {
}
