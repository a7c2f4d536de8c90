package org.merpati.ejb.service;

/**
 * The SMTP envelope facts kept with each stored copy (for DSNs later, RFC 3461).
 *
 * @param reversePath MAIL FROM ("" for the null sender)
 * @param recipient   the RCPT address this copy was delivered for
 */
public record DeliveryEnvelope(String reversePath, String recipient, String dsnNotify, String dsnOrcpt,
                               String dsnRet, String dsnEnvId) {
}
