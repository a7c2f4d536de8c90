package org.merpati.ejb.service;

import org.merpati.ejb.mime.ParsedMessage;
import org.merpati.ejb.search.MessageText;
import org.merpati.ejb.storage.blob.StoredBlob;

/** A message whose bytes are durably in the blob store, with what was parsed from them. */
public record StoredMessage(StoredBlob blob, ParsedMessage parsed, MessageText indexText) {

    public StoredMessage(StoredBlob blob, ParsedMessage parsed) {
        this(blob, parsed, null);
    }

    /**
     * The same message with its index terms extracted now (outside any transaction), so that the rows
     * inserted for it do not read the blob for the index while their locks are held.
     */
    public StoredMessage withIndexText(java.nio.file.Path blobFile) {
        return new StoredMessage(blob, parsed, MessageText.extract(blobFile, parsed.bodyStructureJson()));
    }
}
