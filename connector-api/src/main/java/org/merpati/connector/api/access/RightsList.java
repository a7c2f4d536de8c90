package org.merpati.connector.api.access;

import java.util.List;

/**
 * What LISTRIGHTS reports (RFC 4314 section 3.7): the rights an identifier always has on a mailbox, and the
 * groups of rights that can be granted to it (rights in one string are tied: granted together or not at all).
 */
public record RightsList(String required, List<String> optional) implements java.io.Serializable {

    public RightsList {
        optional = List.copyOf(optional);
    }
}
