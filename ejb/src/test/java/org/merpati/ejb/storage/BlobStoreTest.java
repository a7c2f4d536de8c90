package org.merpati.ejb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.ejb.storage.blob.BlobStore;
import org.merpati.ejb.storage.blob.StoredBlob;

class BlobStoreTest {

    @TempDir
    Path root;

    @Test
    void storesUnderItsSha256WithTwoShardLevels() throws Exception {
        byte[] content = "Subject: hi\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
        StoredBlob blob = new BlobStore(root).write(new ByteArrayInputStream(content));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        assertEquals(sha, blob.id());
        assertEquals(content.length, blob.size());
        Path expected = root.resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4)).resolve(sha);
        assertTrue(Files.isRegularFile(expected));
        assertArrayEquals(content, Files.readAllBytes(expected));
    }

    @Test
    void identicalContentIsStoredOnceAndNoTempFilesRemain() throws Exception {
        BlobStore store = new BlobStore(root);
        StoredBlob first = store.write(new ByteArrayInputStream(new byte[] {1, 2, 3}));
        StoredBlob second = store.write(new ByteArrayInputStream(new byte[] {1, 2, 3}));
        assertEquals(first.id(), second.id());
        assertEquals(first.file(), second.file());
        first.discardCopy();
        second.discardCopy();
        try (Stream<Path> files = Files.walk(root)) {
            assertEquals(1, files.filter(Files::isRegularFile).count(), "one file, no temp leftovers");
        }
    }

    @Test
    void streamsLargeContentByteIdentically() throws Exception {
        long size = 20L * 1024 * 1024 + 17; // larger than any buffer, odd length
        BlobStore store = new BlobStore(root);
        StoredBlob blob = store.write(new PatternStream(size));
        assertEquals(size, blob.size());
        try (InputStream stored = store.open(blob.id()); InputStream expected = new PatternStream(size)) {
            byte[] a = new byte[65536];
            byte[] b = new byte[65536];
            long compared = 0;
            int n;
            while ((n = expected.readNBytes(a, 0, a.length)) > 0) {
                assertEquals(n, stored.readNBytes(b, 0, n));
                for (int i = 0; i < n; i++) {
                    if (a[i] != b[i]) {
                        throw new AssertionError("differs at " + (compared + i));
                    }
                }
                compared += n;
            }
            assertEquals(-1, stored.read());
            assertEquals(size, compared);
        }
    }

    @Test
    void deleteRemovesTheFile() throws Exception {
        BlobStore store = new BlobStore(root);
        StoredBlob blob = store.write(new ByteArrayInputStream(new byte[] {42}));
        assertTrue(store.delete(blob.id()));
        assertFalse(store.exists(blob.id()));
        assertFalse(store.delete(blob.id()));
    }

    @Test
    void aWriterHoldsAPrivateCopyWhetherTheContentWasNewOrNot() throws Exception {
        BlobStore store = new BlobStore(root);
        byte[] content = {7, 8, 9};
        StoredBlob first = store.write(new ByteArrayInputStream(content));
        StoredBlob second = store.write(new ByteArrayInputStream(content)); // deduplicated
        for (StoredBlob blob : List.of(first, second)) {
            assertTrue(blob.copy().startsWith(root.resolve("tmp")), blob.copy().toString());
            assertArrayEquals(content, Files.readAllBytes(blob.copy()));
            assertEquals(blob.copy(), blob.readable());
        }
        assertNotEquals(first.copy(), second.copy());
        // the collector removes the shared file: each copy still has the bytes
        assertTrue(store.delete(first.id()));
        assertArrayEquals(content, Files.readAllBytes(first.copy()));
        first.discardCopy();
        assertFalse(Files.exists(first.copy()));
        assertEquals(first.file(), first.readable(), "without a copy the shared file is read");
    }

    @Test
    void ensurePlacedPutsAMissingFileBackFromTheCopy() throws Exception {
        BlobStore store = new BlobStore(root);
        byte[] content = "Subject: again\r\n\r\nsame bytes\r\n".getBytes(StandardCharsets.US_ASCII);
        StoredBlob blob = store.write(new ByteArrayInputStream(content));
        assertFalse(store.ensurePlaced(blob), "present: nothing to do");
        store.delete(blob.id());
        Files.delete(store.pathOf(blob.id()).getParent()); // even the shard directory is gone
        assertTrue(store.ensurePlaced(blob));
        assertArrayEquals(content, Files.readAllBytes(store.pathOf(blob.id())));
        blob.discardCopy();
        assertArrayEquals(content, Files.readAllBytes(store.pathOf(blob.id())), "the placed file is independent");
    }

    @Test
    void ensurePlacedWithoutCopyFailsWhenTheFileIsMissing() throws Exception {
        BlobStore store = new BlobStore(root);
        StoredBlob blob = store.write(new ByteArrayInputStream(new byte[] {5}));
        blob.discardCopy();
        store.delete(blob.id());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> store.ensurePlaced(blob));
        assertEquals(root, BlobStore.containing(blob).root());
    }

    @Test
    void sweepTempRemovesOnlyStaleFiles() throws Exception {
        BlobStore store = new BlobStore(root);
        StoredBlob fresh = store.write(new ByteArrayInputStream(new byte[] {1}));
        StoredBlob stale = store.write(new ByteArrayInputStream(new byte[] {2}));
        Instant now = Instant.now();
        Files.setLastModifiedTime(stale.copy(), FileTime.from(now.minus(Duration.ofDays(2))));
        assertEquals(1, store.sweepTemp(now.minus(Duration.ofDays(1))));
        assertTrue(Files.exists(fresh.copy()));
        assertFalse(Files.exists(stale.copy()));
        assertTrue(store.exists(stale.id()), "the placed file is another name of the same bytes: it stays");
    }

    @Test
    void rejectsIdsThatAreNotHashes() {
        BlobStore store = new BlobStore(root);
        assertThrows(IllegalArgumentException.class, () -> store.pathOf("../../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> store.pathOf("ABCDEF"));
    }

    /** Generates bytes on the fly, so the test itself never holds the content in memory. */
    private static final class PatternStream extends InputStream {
        private final long size;
        private long position;

        PatternStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return position < size ? (int) ((position++ * 31 + 7) & 0xff) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) ((position++ * 31 + 7) & 0xff);
            }
            return n;
        }
    }
}
