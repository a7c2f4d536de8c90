package org.merpati.connector.imap.proto;

import org.merpati.connector.spool.SpoolFile;

/**
 * One literal of a command: small ones are kept in memory, an APPEND message is streamed to a spool file.
 *
 * @param size   announced size in bytes
 * @param data   the bytes, or null when spooled
 * @param spool  the spool file holding the bytes, or null when in memory
 * @param binary whether it was a literal8 ({@code ~{n}}, RFC 3516)
 */
public record Literal(long size, byte[] data, SpoolFile spool, boolean binary) {
}
