package org.merpati.ejb.storage.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
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
 * <p>Thread-safe: concurrent writers use distinct temp files; two writers of the same content both rename
 * to the same name, and since the content is identical either result is correct.
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

    /**
     * Copies the stream into the store. Returns only after the file and its directory entry are fsynced.
     * If a blob with the same content exists, the new copy is dropped (deduplication).
     */
    public StoredBlob write(InputStream content) throws IOException {
        Files.createDirectories(tempDir);
        Path temp = Files.createTempFile(tempDir, "blob-", ".tmp");
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
            if (Files.exists(target)) {
                Files.delete(temp);
                return new StoredBlob(id, size);
            }
            Path shard = target.getParent();
            if (!Files.isDirectory(shard)) {
                Files.createDirectories(shard);
                // the new shard directories must survive a crash too
                fsyncDirectory(shard.getParent());
                fsyncDirectory(shard.getParent().getParent());
            }
            moveAtomically(temp, target);
            fsyncDirectory(shard);
            return new StoredBlob(id, size);
        } finally {
            Files.deleteIfExists(temp);
        }
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

    /** Deletes the file; callers (a collector) decide from the reference counts that nobody needs it. */
    public boolean delete(String id) throws IOException {
        Path path = pathOf(id);
        boolean deleted = Files.deleteIfExists(path);
        if (deleted) {
            fsyncDirectory(path.getParent());
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
