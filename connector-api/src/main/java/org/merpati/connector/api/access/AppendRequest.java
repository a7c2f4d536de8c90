package org.merpati.connector.api.access;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

/**
 * One message of an APPEND or MULTIAPPEND (RFC 3502), already spooled by the connector. Not serializable
 * (a {@link Path}): the call is local, the file shared by path.
 *
 * @param spool        the file holding the message exactly as sent; the caller deletes it afterwards
 * @param size         its size in bytes
 * @param flags        the flags to set (may be empty)
 * @param internalDate the date the client gave, or null for now
 */
public record AppendRequest(Path spool, long size, Set<String> flags, Instant internalDate) {

    public AppendRequest {
        flags = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(flags)); // in the client's order
    }
}
