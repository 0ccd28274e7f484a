package io.bulwark.models.registry;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A registry storage that counts how often each version's model file is opened, and otherwise is the storage it
 * wraps: how the classifier chaos scenarios and the boundary's tests see whether a failing version is read again on
 * every request or skipped.
 */
public final class CountingStorage implements RegistryStorage {

    private final RegistryStorage inner;
    private final Map<String, AtomicLong> modelReads = new ConcurrentHashMap<>();

    public CountingStorage(RegistryStorage inner) {
        this.inner = Objects.requireNonNull(inner, "inner");
    }

    /** Returns how often {@code version}'s model file was opened since this storage was made or last reset. */
    public long modelReads(String version) {
        AtomicLong n = modelReads.get(version);
        return n == null ? 0 : n.get();
    }

    /** Sets every count back to zero (e.g. after a start-up's own reads). */
    public void reset() {
        modelReads.clear();
    }

    @Override
    public InputStream open(String version, String file) throws IOException {
        if (file.equals(ModelRegistry.MODEL_FILE)) {
            modelReads.computeIfAbsent(version, v -> new AtomicLong()).incrementAndGet();
        }
        return inner.open(version, file);
    }

    @Override
    public String location() {
        return inner.location();
    }

    @Override
    public List<String> versionNames() {
        return inner.versionNames();
    }

    @Override
    public boolean exists(String version) {
        return inner.exists(version);
    }

    @Override
    public String write(Map<String, byte[]> files, boolean initial) throws IOException {
        return inner.write(files, initial);
    }

    @Override
    public Optional<byte[]> readPointer() throws IOException {
        return inner.readPointer();
    }

    @Override
    public void writePointer(byte[] content) throws IOException {
        inner.writePointer(content);
    }

    @Override
    public void onPointerChanged(Consumer<byte[]> listener) {
        inner.onPointerChanged(listener);
    }
}
