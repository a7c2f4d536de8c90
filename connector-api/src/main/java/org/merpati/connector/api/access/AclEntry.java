package org.merpati.connector.api.access;

/**
 * One entry of a mailbox's access control list (RFC 4314 ACL response).
 *
 * @param identifier an account or group address, {@code anyone}, or one of these prefixed with {@code -} for
 *                   negative rights (rights taken away from whatever the other entries grant)
 * @param rights     the rights as {@link MailboxRights#toString()} writes them
 */
public record AclEntry(String identifier, String rights) implements java.io.Serializable {
}
