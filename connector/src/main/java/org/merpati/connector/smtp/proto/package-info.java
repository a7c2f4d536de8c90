/**
 * SMTP and LMTP protocol logic without I/O (sans-IO): command line framing, command parsing, address paths,
 * reply encoding, DATA dot-unstuffing and the session state machine. Nothing here knows of sockets, Netty or
 * threads; the network layer feeds bytes in and carries replies out through {@link
 * org.merpati.connector.smtp.proto.SmtpTransport}. That keeps every protocol rule testable from a byte array.
 */
package org.merpati.connector.smtp.proto;
