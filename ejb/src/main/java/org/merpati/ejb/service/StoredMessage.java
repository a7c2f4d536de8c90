package org.merpati.ejb.service;

import org.merpati.ejb.mime.ParsedMessage;
import org.merpati.ejb.storage.blob.StoredBlob;

/** A message whose bytes are durably in the blob store, with what was parsed from them. */
public record StoredMessage(StoredBlob blob, ParsedMessage parsed) {
}
