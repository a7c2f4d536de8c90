package org.merpati.ejb.service;

/** Where a message was stored: the IMAP coordinates of the new row. */
public record AppendedMessage(String account, String mailbox, long uidValidity, long uid, long modSeq) {
}
