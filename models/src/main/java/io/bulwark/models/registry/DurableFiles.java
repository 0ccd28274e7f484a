package io.bulwark.models.registry;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The two file operations behind a directory written whole, then renamed into place: the model registry's versions
 * and the dataset store's versions.
 */
public final class DurableFiles {

    private DurableFiles() {
    }

    /** Flushes a file, or a directory's entries, to the disk. Some file systems cannot sync directories. */
    public static void fsync(Path path) {
        try (FileChannel ch = FileChannel.open(path, Files.isDirectory(path)
                ? new StandardOpenOption[]{StandardOpenOption.READ} : new StandardOpenOption[]{StandardOpenOption.WRITE})) {
            ch.force(true);
        } catch (IOException e) {
            // directory fsync is not supported everywhere; the rename is still atomic
        }
    }

    /** Deletes a directory and everything in it; nothing when it does not exist. */
    public static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> s = Files.walk(path)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
