/**
 * Message submission (RFC 6409 on 587/STARTTLS, RFC 8314 on 465/implicit TLS), the server side behind the
 * submission MDBs: SASL password checks, the sender-ownership rules (own address, aliases, send-as grants),
 * per-node rate limits, the header fix-ups of RFC 6409 section 8 (Message-ID, Date), the trace field, DKIM
 * signing, and one transaction that stores local copies and queues remote recipients.
 */
package org.merpati.ejb.submission;
