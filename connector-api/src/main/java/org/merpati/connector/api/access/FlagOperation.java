package org.merpati.connector.api.access;

/** How STORE combines the given flags with the current ones. */
public enum FlagOperation {
    /** FLAGS: the given set replaces the current flags. */
    REPLACE,
    /** +FLAGS */
    ADD,
    /** -FLAGS */
    REMOVE
}
