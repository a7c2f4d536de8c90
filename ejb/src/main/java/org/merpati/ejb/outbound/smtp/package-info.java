/**
 * The outbound SMTP client: {@link org.merpati.ejb.outbound.smtp.SmtpRemoteDelivery} hands one queued message
 * to the servers of one destination domain and reports an outcome per recipient.
 *
 * <p><b>Why our own client rather than Angus Mail's {@code SMTPTransport}.</b> A relay needs what a mail user
 * agent's transport does not give: PIPELINING (RFC 2920) so that MAIL, all RCPTs and DATA cost one round trip;
 * per-recipient DSN parameters (NOTIFY and ORCPT, RFC 3461) carried through from the submission; the stored
 * file streamed byte for byte — re-serialising a {@code MimeMessage} would change header folding and
 * transfer encodings and so break the DKIM signature; and a result per recipient (a 550 for one recipient while
 * the others succeed, 452 "too many recipients" answered by a second transaction), which the delivery queue
 * turns into retries and DSNs.
 *
 * <p><b>Structure.</b> Sans-IO, unit-tested pieces: {@link org.merpati.ejb.outbound.smtp.SmtpReplyParser}
 * (multi-line replies, RFC 3463 enhanced codes in {@link org.merpati.ejb.outbound.smtp.SmtpReply}),
 * {@link org.merpati.ejb.outbound.smtp.EhloCapabilities}, {@link org.merpati.ejb.outbound.smtp.SmtpCommands}
 * (with {@link org.merpati.ejb.outbound.smtp.Xtext} for ENVID and ORCPT),
 * {@link org.merpati.ejb.outbound.smtp.DotStuffingOutputStream} and
 * {@link org.merpati.ejb.outbound.smtp.MtaStsPolicy}. Around them a blocking {@code Socket}/{@code SSLSocket}
 * client ({@code SmtpConnection}, {@code SmtpClientSession}) that runs on the delivery MDB's thread outside any
 * transaction, with the timeouts of RFC 5321 section 4.5.3.2, and {@code MxRouter} for MX resolution through
 * {@link org.merpati.ejb.dns.DnsClient} (preference order, equal preferences shuffled, implicit MX, null MX).
 *
 * <p><b>TLS.</b> STARTTLS whenever offered. For MX delivery without a policy it is opportunistic (RFC 7435):
 * any certificate is accepted, a failed handshake is retried in plain text, and the log records whether TLS was
 * used. A smarthost's certificate is verified against the JDK trust store (or {@code MERPATI_OUTBOUND_TRUSTSTORE})
 * unless {@code MERPATI_SMARTHOST_TLS_VERIFY=false}. MTA-STS (RFC 8461) is applied: in {@code enforce} mode only
 * the policy's MX hosts are used and STARTTLS with a certificate valid for the MX name is required (else
 * 4.7.5, retried later); {@code testing} mode delivers and logs. MTA-STS policy fetching uses the JDK's
 * resolver for {@code mta-sts.<domain>} (HttpClient cannot use our DNS client). TLSRPT (RFC 8460) is not
 * sent.
 *
 * <p><b>Not done: DANE (RFC 7672).</b> TLSA records are not looked up; DANE needs DNSSEC-validated answers,
 * which {@code DnsClient} does not provide. A domain that publishes only DANE gets opportunistic TLS.
 *
 * <p><b>Limits of the implementation.</b> BINARYMIME messages go by {@code BDAT ... LAST} in one chunk and
 * only to servers that announce CHUNKING and BINARYMIME (5.6.3 otherwise); 8bit messages go unchanged to a
 * server without 8BITMIME (a downgrade would break DKIM) and this is logged; LMTP is not spoken; an MX that
 * points back at this server (a mail loop) is not detected here; for an internationalised recipient address
 * without an ORCPT of its own no ORCPT is generated (RFC 6533's utf-8 address type is not produced). The
 * smarthost's name is resolved through {@code DnsClient}, falling back to the system resolver for names DNS
 * does not know (localhost, /etc/hosts).
 */
package org.merpati.ejb.outbound.smtp;
