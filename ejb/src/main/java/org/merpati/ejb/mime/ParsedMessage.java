package org.merpati.ejb.mime;

/**
 * What delivery caches about a message.
 *
 * @param subject           the Subject with RFC 2047 encoded words decoded, or null
 * @param from              the raw From header value, or null
 * @param to                the raw To header value, or null
 * @param messageId         the raw Message-ID, or null
 * @param date              the raw Date header, or null
 * @param envelopeJson      raw ENVELOPE fields as JSON (IMAP wants them undecoded)
 * @param bodyStructureJson the MIME tree as JSON
 * @param root              the parsed tree
 */
public record ParsedMessage(String subject, String from, String to, String messageId, String date,
                            String envelopeJson, String bodyStructureJson, MimePart root) {
}
