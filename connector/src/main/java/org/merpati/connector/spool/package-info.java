/**
 * Temporary files holding a message while it arrives and while the endpoint delivers it. Messages are
 * streamed to disk as they come, never held whole in memory.
 */
package org.merpati.connector.spool;
