package org.merpati.connector.api.access;

/** Result of APPEND, for the APPENDUID response code (RFC 4315). */
public record AppendResult(long mailboxId, long uidValidity, long uid) implements java.io.Serializable {
}
