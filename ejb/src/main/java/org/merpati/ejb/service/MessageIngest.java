package org.merpati.ejb.service;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.merpati.ejb.mime.MessageStructureParser;
import org.merpati.ejb.mime.ParsedMessage;
import org.merpati.ejb.storage.blob.BlobStore;
import org.merpati.ejb.storage.blob.StoredBlob;

/**
 * Copies a spooled message into the blob store behind the trace header fields, then parses the stored
 * copy. Both steps stream; neither holds the message in memory. The result holds a private copy of the bytes
 * ({@link StoredBlob#copy}): the transaction that references the blob calls {@link BlobStore#ensurePlaced}
 * after locking the blob row (so a row never points at a missing file, even if the collector removed an
 * unreferenced blob of the same content meanwhile), and the caller discards the copy when its transactions are
 * over ({@link StoredBlob#discardCopy}).
 */
public final class MessageIngest {

    private final BlobStore blobs;

    public MessageIngest(BlobStore blobs) {
        this.blobs = blobs;
    }

    public StoredMessage store(byte[] prefix, Path spool) throws IOException {
        try (InputStream content = new SequenceInputStream(new ByteArrayInputStream(prefix),
                Files.newInputStream(spool))) {
            return store(content);
        }
    }

    public StoredMessage store(InputStream content) throws IOException {
        StoredBlob blob = blobs.write(content);
        ParsedMessage parsed;
        try (InputStream stored = Files.newInputStream(blob.readable())) {
            parsed = MessageStructureParser.parse(stored);
        } catch (IOException | RuntimeException e) {
            blob.discardCopy();
            throw e;
        }
        return new StoredMessage(blob, parsed);
    }
}
