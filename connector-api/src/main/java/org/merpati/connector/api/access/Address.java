package org.merpati.connector.api.access;

/**
 * One address of an ENVELOPE field, in the four parts IMAP reports (RFC 9051 section 7.5.2). A group start
 * has a null host and the group name as mailbox; a group end has mailbox and host null. Values are raw header
 * text (encoded words are not decoded), null when absent.
 */
public record Address(String name, String adl, String mailbox, String host) implements java.io.Serializable {
}
