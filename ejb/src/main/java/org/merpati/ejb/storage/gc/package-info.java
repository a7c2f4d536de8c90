/**
 * Blob garbage collection: removes the files and rows of message blobs that nothing has referenced for a grace
 * period, one blob per short transaction under its row lock, so that a delivery of the same content either finds
 * the row and the file or creates both anew (see {@code docs/architecture-decisions.md}, "Blob collection").
 */
package org.merpati.ejb.storage.gc;
