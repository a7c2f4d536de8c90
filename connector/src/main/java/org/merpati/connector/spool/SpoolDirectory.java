package org.merpati.connector.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The directory spool files are created in; created on first use. */
public final class SpoolDirectory {

    private final Path directory;

    public SpoolDirectory(Path directory) {
        this.directory = directory;
    }

    public Path path() {
        return directory;
    }

    /** Creates an empty spool file, open for writing. */
    public SpoolFile create() throws IOException {
        Files.createDirectories(directory);
        Path file = Files.createTempFile(directory, "msg-", ".eml");
        try {
            return new SpoolFile(file);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }
}
