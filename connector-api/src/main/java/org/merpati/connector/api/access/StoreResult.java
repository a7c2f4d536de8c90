package org.merpati.connector.api.access;

import java.util.List;

/**
 * Result of a flag change.
 *
 * @param changed  messages whose flags (and therefore MODSEQ) changed, with their new flags
 * @param modified UIDs refused because their MODSEQ was above UNCHANGEDSINCE (RFC 7162 MODIFIED)
 */
public record StoreResult(List<MessageFlags> changed, long[] modified) implements java.io.Serializable {

    public StoreResult {
        changed = List.copyOf(changed);
    }
}
