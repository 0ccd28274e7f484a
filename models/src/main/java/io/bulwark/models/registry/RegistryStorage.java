package io.bulwark.models.registry;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where a {@link ModelRegistry} keeps its versions and its promotion pointer: a local directory
 * ({@link DirectoryStorage}, the default) or S3-compatible object storage (the {@code state} module). A version is
 * written whole before it is listed, and never changed after; the pointer ({@code promotion.json}) is replaced
 * whole.
 */
public interface RegistryStorage {

    /** Returns where the registry lives, for logs: a path or {@code s3://bucket/prefix}. */
    String location();

    /** Returns the names of the complete versions ({@code v1}, {@code v2}, ...), in no particular order. */
    List<String> versionNames();

    /** Returns true if the complete version {@code version} exists. */
    boolean exists(String version);

    /**
     * Opens one file of a version.
     *
     * @throws java.nio.file.NoSuchFileException when the version or its file is missing
     */
    InputStream open(String version, String file) throws IOException;

    /**
     * Writes {@code files} as a new version, whole, and returns its name: the next free {@code vN}, or {@code v1} when
     * {@code initial} (if v1 exists already, it is kept and {@code v1} returned).
     */
    String write(Map<String, byte[]> files, boolean initial) throws IOException;

    /** Returns the promotion pointer's content, if it was ever written. */
    Optional<byte[]> readPointer() throws IOException;

    /** Replaces the promotion pointer's content whole. */
    void writePointer(byte[] content) throws IOException;

    /**
     * Registers what to do when another instance changed the pointer (a storage polled for changes calls it on its
     * own thread); a storage that one process owns never calls it.
     */
    default void onPointerChanged(Consumer<byte[]> listener) {
    }
}
