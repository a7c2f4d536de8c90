package org.merpati.connector.imap.proto;

/**
 * The limits and options of one IMAP listener.
 *
 * @param serverName             name in the greeting
 * @param maxLineLength          longest command line in bytes (CRLF not counted)
 * @param maxLiteralSize         largest APPEND message (announced as APPENDLIMIT)
 * @param maxErrors              BAD commands before BYE
 * @param maxAuthFailures        failed LOGIN/AUTHENTICATE per connection before BYE
 * @param allowPlaintextAuth     whether LOGIN/AUTHENTICATE work without TLS
 * @param startTlsAvailable      whether STARTTLS is offered (TLS mode STARTTLS)
 * @param implicitTls            whether the connection is TLS from the first byte
 * @param compressionAvailable   whether COMPRESS=DEFLATE is offered
 * @param authFailureDelayMillis delay before answering the first failed authentication; doubles with each
 * @param fetchBatchSize         messages fetched per endpoint call (FETCH streams batch after batch)
 */
public record ImapSessionConfig(String serverName, int maxLineLength, long maxLiteralSize, int maxErrors,
                                int maxAuthFailures, boolean allowPlaintextAuth, boolean startTlsAvailable,
                                boolean implicitTls, boolean compressionAvailable, long authFailureDelayMillis,
                                int fetchBatchSize) {
}
