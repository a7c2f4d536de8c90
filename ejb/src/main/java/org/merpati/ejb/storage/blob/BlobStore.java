package org.merpati.ejb.storage.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Files under {@code <root>/ab/cd/<sha256>}, where ab and cd are the first two byte pairs of the hash (two
 * levels keep directories small). Writing streams through a 64 KiB buffer while hashing, so a message is
 * never held in memory; the file only appears under its final name once its bytes are on disk, so a reader
 * (or a crash) never sees a partial blob.
 *
 * <p>Thread-safe: concurrent writers use distinct temp files; two writers of the same content both link
 * to the same name, and since the content is identical either result is correct. Files are never changed
 * after they are placed (which is what makes hard links safe), only deleted by the blob collector
 * ({@code org.merpati.ejb.storage.gc}) under the blob row's lock.
 */
public final class BlobStore {

    static final int BUFFER_SIZE = 64 * 1024;
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");

    private final Path root;
    private final Path tempDir;

    public BlobStore(Path root) {
        this.root = root.toAbsolutePath();
        this.tempDir = this.root.resolve("tmp");
    }

    public Path root() {
        return root;
    }

    /** The store a blob was written to (its file is {@code <root>/ab/cd/<id>}). */
    public static BlobStore containing(StoredBlob blob) {
        if (blob.file() == null) {
            throw new IllegalArgumentException("blob " + blob.id() + " was not written to a store");
        }
        return new BlobStore(blob.file().getParent().getParent().getParent());
    }

    /**
     * Copies the stream into the store. Returns only after the file and its directory entry are fsynced.
     * If a blob with the same content exists, the new copy is not placed (deduplication).
     *
     * <p>Either way the returned blob holds a private copy of the content ({@link StoredBlob#copy}: the temp
     * file, which is also the placed file's inode when the content was new), because an existing file may belong
     * to an unreferenced blob that the collector deletes before the caller's transaction locks its row. The
     * caller calls {@link #ensurePlaced} after taking its reference and {@link StoredBlob#discardCopy} when done.
     */
    public StoredBlob write(InputStream content) throws IOException {
        Files.createDirectories(tempDir);
        Path temp = Files.createTempFile(tempDir, "blob-", ".tmp");
        boolean kept = false;
        try {
            MessageDigest sha256 = newDigest();
            long size = 0;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = Channels.newOutputStream(channel);
                byte[] buffer = new byte[BUFFER_SIZE];
                int read;
                while ((read = content.read(buffer)) != -1) {
                    sha256.update(buffer, 0, read);
                    out.write(buffer, 0, read);
                    size += read;
                }
                out.flush();
                channel.force(true);
            }
            String id = HexFormat.of().formatHex(sha256.digest());
            Path target = pathOf(id);
            if (!Files.exists(target)) {
                place(temp, target);
            }
            kept = true;
            return new StoredBlob(id, size, target, temp);
        } finally {
            if (!kept) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * Puts the blob's file back from the writer's private copy if it is missing. Call after the blob row is
     * locked (or inserted) in the transaction that references it: the collector deletes files only under that
     * lock, so from here to the commit the file stays; before it, a collector may have removed it (also in a
     * collection that rolled back after deleting the file, which leaves a row without a file).
     *
     * @return whether the file had to be put back
     * @throws NoSuchFileException when the file is missing and no copy is held (the transaction must fail)
     */
    public boolean ensurePlaced(StoredBlob blob) throws IOException {
        Path target = pathOf(blob.id());
        if (Files.exists(target)) {
            return false;
        }
        Path copy = blob.copy();
        if (copy == null || !Files.exists(copy)) {
            throw new NoSuchFileException(target.toString(), null, "blob file missing and no copy of it is held");
        }
        place(copy, target);
        return true;
    }

    /**
     * Makes {@code target} a name of {@code source}'s bytes: a hard link (atomic, no extra space, and the source
     * stays as the writer's copy), or a copy moved into place where the file system has no hard links. A file
     * already there has the same content (same hash) and is kept.
     */
    private void place(Path source, Path target) throws IOException {
        Path shard = target.getParent();
        if (!Files.isDirectory(shard)) {
            Files.createDirectories(shard);
            // the new shard directories must survive a crash too
            fsyncDirectory(shard.getParent());
            fsyncDirectory(shard.getParent().getParent());
        }
        try {
            Files.createLink(target, source);
        } catch (FileAlreadyExistsException e) {
            // a concurrent writer stored the same content first: identical bytes, keep theirs
        } catch (UnsupportedOperationException | FileSystemException e) {
            // a file system without hard links (or refusing one here): place a synced copy instead; the writer's
            // private copy stays separate either way
            Path second = Files.createTempFile(tempDir, "place-", ".tmp");
            try {
                Files.copy(source, second, StandardCopyOption.REPLACE_EXISTING);
                try (FileChannel channel = FileChannel.open(second, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
                moveAtomically(second, target);
            } finally {
                Files.deleteIfExists(second);
            }
        }
        fsyncDirectory(shard);
    }

    /** Opens the blob for streaming. The caller closes the stream. */
    public InputStream open(String id) throws IOException {
        return Files.newInputStream(pathOf(id));
    }

    public boolean exists(String id) {
        return Files.exists(pathOf(id));
    }

    public long size(String id) throws IOException {
        return Files.size(pathOf(id));
    }

    /**
     * Deletes the file; callers (the collector, holding the blob row's lock) decide from the reference counts
     * that nobody needs it. A missing file is not an error (a collection that rolled back after deleting it).
     * On Linux a reader that has the file open keeps reading it; elsewhere the delete may fail, and the caller
     * tries again later.
     *
     * @return whether a file was deleted
     */
    public boolean delete(String id) throws IOException {
        Path path = pathOf(id);
        boolean deleted = Files.deleteIfExists(path);
        if (deleted) {
            fsyncDirectory(path.getParent());
        }
        return deleted;
    }

    /**
     * Deletes files in the temp directory last modified before {@code cutoff}: copies and partial writes left
     * by writers that crashed or forgot them (a live writer's copy is minutes old at most).
     *
     * @return how many were deleted
     */
    public int sweepTemp(java.time.Instant cutoff) throws IOException {
        if (!Files.isDirectory(tempDir)) {
            return 0;
        }
        int deleted = 0;
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(tempDir)) {
            for (Path file : files) {
                try {
                    if (Files.isRegularFile(file)
                            && Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)
                            && Files.deleteIfExists(file)) {
                        deleted++;
                    }
                } catch (IOException e) {
                    // gone meanwhile, or not deletable now: the next sweep tries again
                }
            }
        }
        return deleted;
    }

    /** Where blob {@code id} lives; rejects anything that is not a SHA-256 hex string (no path tricks). */
    public Path pathOf(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a blob id: " + id);
        }
        return root.resolve(id.substring(0, 2)).resolve(id.substring(2, 4)).resolve(id);
    }

    private static void moveAtomically(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            // a concurrent writer stored the same content first: identical bytes, keep theirs
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("blob store needs atomic rename within " + target.getParent(), e);
        }
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            // some file systems refuse to open directories for fsync; the rename itself is still atomic
            if (!System.getProperty("os.name", "").toLowerCase().contains("win")) {
                throw e;
            }
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
