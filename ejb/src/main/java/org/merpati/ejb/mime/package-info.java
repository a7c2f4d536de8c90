/**
 * Streaming MIME structure analysis of stored messages: one pass over the bytes yields the header values
 * cached per message (subject, from, to, message-id, date) and the part tree with byte offsets, sizes and
 * line counts that IMAP ENVELOPE, BODYSTRUCTURE and BODY[section] need, serialized as compact JSON.
 *
 * <p>The line scanner is ours because mime4j's token stream does not expose byte offsets; header field
 * syntax (parameters, RFC 2231 continuations, RFC 2047 encoded words) is parsed by mime4j.
 */
package org.merpati.ejb.mime;
