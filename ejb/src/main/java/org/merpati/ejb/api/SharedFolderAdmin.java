package org.merpati.ejb.api;

import jakarta.ejb.Local;
import java.util.List;

/**
 * Administration of a domain's public folders (the IMAP "Shared" namespace): only administrators create
 * top-level folders; users then work in them with the rights the folders' ACLs give (a user with "k" creates
 * subfolders, one with "a" changes the ACL). Names may be given with or without the {@code Shared/} prefix.
 * Failures are {@link org.merpati.ejb.domain.MailException}s: NOT_FOUND for an unknown domain or folder,
 * EXISTS for a duplicate, INVALID for a malformed name, identifier or rights.
 */
@Local
public interface SharedFolderAdmin {

    /** Creates a public folder (and missing parents; a new folder inherits its parent's ACL). */
    SharedFolderView createSharedFolder(String domain, String name);

    /** The domain's public folders by name (empty when it has none). */
    List<SharedFolderView> listSharedFolders(String domain);

    /** Deletes a public folder with its subfolders and their messages. */
    void deleteSharedFolder(String domain, String name);

    /**
     * Sets (replaces) one ACL entry; empty rights remove it.
     *
     * @param identifier {@code anyone}, an account or group address of the domain, with a leading {@code -} for
     *                   negative rights
     * @param rights     RFC 4314 rights letters ({@code lrswipkxtea}, also {@code c} and {@code d})
     */
    SharedFolderView setSharedFolderAcl(String domain, String name, String identifier, String rights);
}
