package org.merpati.connector.api.access;

/**
 * A set of access rights on a mailbox (RFC 4314 section 2.1), immutable. The server implements every standard
 * right separately ({@code RIGHTS=texk}): none is tied to another. The obsolete RFC 2086 rights are virtual:
 * {@code c} stands for {@code k} and {@code x} (create, and delete mailbox), {@code d} for {@code e} and
 * {@code t} (delete messages), the first of the two readings section 2.1.1 allows. They are accepted in input
 * and added to output whenever one of their members is present, as the RFC requires.
 */
public final class MailboxRights implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** The rights this server implements, in the order it reports them. */
    public static final String SUPPORTED = "lrswipkxtea";
    /** The virtual RFC 2086 "create" right and its members. */
    private static final String CREATE_MEMBERS = "kx";
    /** The virtual RFC 2086 "delete" right and its members. */
    private static final String DELETE_MEMBERS = "et";

    public static final MailboxRights NONE = new MailboxRights(0);
    public static final MailboxRights ALL = new MailboxRights((1 << SUPPORTED.length()) - 1);

    private final int bits;

    private MailboxRights(int bits) {
        this.bits = bits;
    }

    /**
     * Reads a rights string: lower-case letters of {@link #SUPPORTED}, {@code c} and {@code d}, in any order
     * and with repetitions.
     *
     * @throws IllegalArgumentException naming the first unknown right (RFC 4314 section 3.1: BAD, never ignored)
     */
    public static MailboxRights parse(String text) {
        int bits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 'c') {
                bits |= bitsOf(CREATE_MEMBERS);
            } else if (c == 'd') {
                bits |= bitsOf(DELETE_MEMBERS);
            } else {
                int index = SUPPORTED.indexOf(c);
                if (index < 0) {
                    throw new IllegalArgumentException(Character.isUpperCase(c) ? "upper-case rights are not allowed"
                        : "the " + (c < 0x21 || c > 0x7e ? "given" : "\"" + c + "\"") + " right is not supported");
                }
                bits |= 1 << index;
            }
        }
        return new MailboxRights(bits);
    }

    /** Whether {@link #parse} accepts the text. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int bitsOf(String letters) {
        int bits = 0;
        for (int i = 0; i < letters.length(); i++) {
            bits |= 1 << SUPPORTED.indexOf(letters.charAt(i));
        }
        return bits;
    }

    /** Whether the right (one of {@link #SUPPORTED}) is in the set. */
    public boolean has(char right) {
        int index = SUPPORTED.indexOf(right);
        return index >= 0 && (bits & (1 << index)) != 0;
    }

    /** Whether any of the rights is in the set. */
    public boolean hasAny(String rights) {
        return (bits & bitsOf(rights)) != 0;
    }

    public MailboxRights union(MailboxRights other) {
        return new MailboxRights(bits | other.bits);
    }

    public MailboxRights minus(MailboxRights other) {
        return new MailboxRights(bits & ~other.bits);
    }

    public boolean isEmpty() {
        return bits == 0;
    }

    /** The rights without the virtual ones, in {@link #SUPPORTED} order (what is stored). */
    public String letters() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < SUPPORTED.length(); i++) {
            if ((bits & (1 << i)) != 0) {
                sb.append(SUPPORTED.charAt(i));
            }
        }
        return sb.toString();
    }

    /** The rights as ACL and MYRIGHTS responses give them: {@link #letters()} plus {@code c} and {@code d}. */
    @Override
    public String toString() {
        return letters() + (hasAny(CREATE_MEMBERS) ? "c" : "") + (hasAny(DELETE_MEMBERS) ? "d" : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MailboxRights r && r.bits == bits;
    }

    @Override
    public int hashCode() {
        return bits;
    }
}
