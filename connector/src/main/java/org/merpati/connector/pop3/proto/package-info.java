/**
 * POP3 protocol logic without I/O (sans-IO): command parsing, the command/state table, replies with RFC 2449
 * response codes, SASL PLAIN/LOGIN responses, the maildrop of one session, byte-stuffing of multi-line
 * responses and the session state machine (AUTHORIZATION, TRANSACTION, UPDATE). The network layer feeds bytes
 * in and carries replies and message streams out through {@link org.merpati.connector.pop3.proto.Pop3Transport}.
 * Command lines are framed by the same strict-CRLF decoder as SMTP
 * ({@link org.merpati.connector.smtp.proto.CommandLineDecoder}).
 */
package org.merpati.connector.pop3.proto;
