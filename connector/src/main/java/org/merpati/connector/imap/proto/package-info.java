/**
 * Sans-IO IMAP4rev2 (RFC 9051) and IMAP4rev1 (RFC 3501): command framing with literals, the command model
 * and its parser, sequence sets, the response encoder (ENVELOPE, BODYSTRUCTURE, modified UTF-7), body
 * section resolution on stored offsets, the message sequence number map with its pending updates, and the
 * session state machine. Nothing here knows Netty; {@link org.merpati.connector.imap.proto.ImapTransport}
 * is what the session needs from a connection.
 */
package org.merpati.connector.imap.proto;
