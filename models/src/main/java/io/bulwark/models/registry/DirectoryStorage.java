package io.bulwark.models.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A registry in a local directory. A version is written into a {@code .staging-*} directory, flushed to disk, then
 * renamed to {@code vN} in one {@code ATOMIC_MOVE}; {@code promotion.json} is replaced the same way. A crash leaves
 * either the whole version or none of it (plus a staging directory, removed at the next start). Version numbers are
 * taken by the rename itself: if {@code vN} already exists, {@code vN+1} is tried, so two writers never share a
 * number.
 */
public final class DirectoryStorage implements RegistryStorage {

    private static final String STAGING_PREFIX = ".staging-";

    private final Path root;
    private final Consumer<Path> onStaged;

    /**
     * Opens (creating if needed) the directory {@code root} and removes staging directories left by a crash.
     *
     * @param onStaged called with the staging directory once a version is fully written and before it is renamed
     *                 into place (tests use it to crash at the worst moment)
     */
    public DirectoryStorage(Path root, Consumer<Path> onStaged) {
        this.root = root.toAbsolutePath();
        this.onStaged = onStaged;
        try {
            Files.createDirectories(this.root);
            try (Stream<Path> s = Files.list(this.root)) {
                for (Path p : s.filter(p -> p.getFileName().toString().startsWith(STAGING_PREFIX)
                        || p.getFileName().toString().startsWith("." + ModelRegistry.PROMOTION_FILE)).toList()) {
                    DurableFiles.deleteTree(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the model registry at " + this.root, e);
        }
    }

    /** Returns the directory. */
    public Path root() {
        return root;
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public List<String> versionNames() {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(ModelRegistry::isVersionName).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean exists(String version) {
        return Files.isDirectory(root.resolve(version));
    }

    @Override
    public InputStream open(String version, String file) throws IOException {
        return Files.newInputStream(root.resolve(version).resolve(file));
    }

    @Override
    public String write(Map<String, byte[]> files, boolean initial) throws IOException {
        Path staging = root.resolve(STAGING_PREFIX + UUID.randomUUID());
        try {
            Files.createDirectory(staging);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(staging.resolve(f.getKey()), f.getValue());
                DurableFiles.fsync(staging.resolve(f.getKey()));
            }
            DurableFiles.fsync(staging);
            int next = initial ? 1 : versionNames().stream().mapToInt(ModelRegistry::number).max().orElse(0) + 1;
            onStaged.accept(staging);
            while (true) {
                Path target = root.resolve("v" + next);
                try {
                    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                    DurableFiles.fsync(root);
                    return "v" + next;
                } catch (FileSystemException taken) {
                    // rename(2) onto a non-empty directory fails with ENOTEMPTY, which Java may report as a
                    // plain FileSystemException: decide by what is on disk, not by the exception's type.
                    if (!Files.isDirectory(target)) {
                        throw taken;
                    }
                    if (initial) {
                        DurableFiles.deleteTree(staging);
                        return "v1";
                    }
                    next++;
                }
            }
        } catch (IOException e) {
            try {
                DurableFiles.deleteTree(staging);
            } catch (IOException ignored) {
                // removed at the next start
            }
            throw e;
        }
    }

    @Override
    public Optional<byte[]> readPointer() throws IOException {
        Path file = root.resolve(ModelRegistry.PROMOTION_FILE);
        return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    }

    @Override
    public void writePointer(byte[] content) throws IOException {
        Path tmp = root.resolve("." + ModelRegistry.PROMOTION_FILE + "-" + UUID.randomUUID());
        Files.write(tmp, content);
        DurableFiles.fsync(tmp);
        Files.move(tmp, root.resolve(ModelRegistry.PROMOTION_FILE), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        DurableFiles.fsync(root);
    }

    /** Flushes a file, or a directory's entries, to the disk. Some file systems cannot sync directories. */

    @Override
    public String toString() {
        return "directory " + root;
    }
}
