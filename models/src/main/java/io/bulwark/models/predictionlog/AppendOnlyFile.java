package io.bulwark.models.predictionlog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file of newline-terminated lines, appended one whole line per write with no user-space buffer, so a
 * process crash cannot lose a line {@link #append} has returned for. A line torn by a crash during a write (or
 * a power loss without {@code sync}) is cut off when the file is opened again.
 */
final class AppendOnlyFile implements AutoCloseable {

    private final FileChannel channel;
    private final boolean sync;
    private final boolean wasEmpty;

    AppendOnlyFile(Path path, boolean sync) {
        this.sync = sync;
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (FileChannel repair = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                repair.truncate(lastCompleteLineEnd(repair));
                wasEmpty = repair.size() == 0;
            }
            channel = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the prediction log " + path, e);
        }
    }

    /** Returns true when the file held no complete line when opened. */
    boolean wasEmpty() {
        return wasEmpty;
    }

    /** Appends {@code line}, which must end with a newline and hold no other. */
    synchronized void append(byte[] line) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (sync) {
                channel.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the prediction log", e);
        }
    }

    /** Returns the length of the file up to and including its last newline. */
    static long lastCompleteLineEnd(FileChannel ch) throws IOException {
        long pos = ch.size();
        ByteBuffer b = ByteBuffer.allocate(4096);
        while (pos > 0) {
            int n = (int) Math.min(b.capacity(), pos);
            b.clear().limit(n);
            ch.read(b, pos - n);
            for (int i = n - 1; i >= 0; i--) {
                if (b.get(i) == '\n') {
                    return pos - n + i + 1;
                }
            }
            pos -= n;
        }
        return 0;
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // every line was written when append returned
        }
    }
}
