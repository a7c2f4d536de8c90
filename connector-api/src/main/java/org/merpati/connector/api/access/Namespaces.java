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
    /** The shared namespace (mailboxes of no single user): not offered, NAMESPACE reports NIL. */
    public static final String SHARED = null;

    private Namespaces() {
    }
}
