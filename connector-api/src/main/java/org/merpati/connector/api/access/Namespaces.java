package org.merpati.connector.api.access;

/**
 * The mailbox namespaces (RFC 2342) the server offers, as NAMESPACE reports them. Names handed to and returned
 * by {@link MailAccessListener} are full names in these namespaces.
 */
public final class Namespaces {

    /** The user's own mailboxes: no prefix. */
    public static final String PERSONAL = "";
    /**
     * Mailboxes other users shared with the user: {@code Other Users/<owner address>/<owner's mailbox name>}.
     * The prefix is case-sensitive, like every name except INBOX; personal mailboxes cannot use it.
     */
    public static final String OTHER_USERS = "Other Users/";
    /** Name of the level above all shared owners, without the delimiter. */
    public static final String OTHER_USERS_ROOT = "Other Users";
    /**
     * Public folders of the user's domain (mailboxes of no single user): {@code Shared/<folder name>}, with the
     * rights the folder's ACL gives. Case-sensitive like {@link #OTHER_USERS}; personal mailboxes cannot use it.
     */
    public static final String SHARED = "Shared/";
    /** Name of the level above all public folders, without the delimiter; also the name of their quota root. */
    public static final String SHARED_ROOT = "Shared";

    private Namespaces() {
    }
}
