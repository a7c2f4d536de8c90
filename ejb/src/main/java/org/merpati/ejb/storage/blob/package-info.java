/**
 * Content-addressed blob store on the file system: message bytes live in files named by their SHA-256,
 * written crash-safely (temp file, fsync, atomic rename, directory fsync) and shared between every mailbox
 * that holds the same message.
 */
package org.merpati.ejb.storage.blob;
