package io.bulwark.models.predictionlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A file of newline-terminated lines, appended one whole line per write with no user-space buffer, so a
 * process crash cannot lose a line {@link #append} has returned for. A line torn by a crash during a write (or
 * a power loss without {@code sync}) is cut off when the file is opened again; a line a failed write left half
 * written (a full disk) is cut off at once, so the next line never lands on a fragment.
 *
 * <p>When a line would take the file past {@code maxSize}, the file is first rotated: {@code name.1} becomes
 * {@code name.2} and so on, {@code name} becomes {@code name.1}, and files beyond {@code name.<maxFiles>} are
 * deleted. Rotation happens between lines under the same lock as the writes, so no line is split or lost. A
 * line longer than {@code maxSize} gets a file of its own.
 *
 * <p>One process per file: lines are written at the end this object knows (which is what lets it cut a torn line
 * back), so two processes appending to one file would overwrite each other's lines.
 */
final class AppendOnlyFile implements AutoCloseable {

    /** Opens the file for reading and writing, creating it when missing: the seam tests use to fail writes. */
    @FunctionalInterface
    interface Channels {
        Channels REAL = path -> FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);

        FileChannel open(Path path) throws IOException;
    }

    private final Path path;
    private final PredictionLog.Options options;
    private final byte[] header;
    private final Channels channels;
    /** Null after a failed rotation: reopened by the next append. */
    private FileChannel channel;
    /** The end of the last whole line: where the next one is written. */
    private long end;
    /** True while bytes beyond {@link #end} may exist (a write failed and cutting them off failed too). */
    private boolean torn;

    /**
     * @param header written with the first line of every file (a CSV header), or null
     */
    AppendOnlyFile(Path path, PredictionLog.Options options, byte[] header, Channels channels) {
        this.path = path;
        this.options = options;
        this.header = header;
        this.channels = channels;
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            open();
        } catch (IOException e) {
            throw new PredictionLogException("cannot open the prediction log " + path + ": " + e, e);
        }
    }

    /** Appends {@code line}, which must end with a newline and hold no other. */
    synchronized void append(byte[] line) {
        try {
            write(line);
        } catch (IOException e) {
            cutTornLine();
            throw new PredictionLogException("cannot append to the prediction log " + path + ": " + e, e);
        }
    }

    /** Appends {@code lines} in order with no other line between them; stops at the first that fails. */
    synchronized void appendAll(List<byte[]> lines) {
        for (int i = 0; i < lines.size(); i++) {
            try {
                write(lines.get(i));
            } catch (IOException e) {
                cutTornLine();
                throw new PredictionLogException("cannot append to the prediction log " + path + " (" + i + " of "
                        + lines.size() + " lines written): " + e, e);
            }
        }
    }

    private void write(byte[] line) throws IOException {
        if (channel == null) {
            open();
        }
        if (torn) {
            channel.truncate(end);
            torn = false;
        }
        long headerLength = header == null ? 0 : header.length;
        if (options.rotates() && end > headerLength && end + line.length > options.maxSizeBytes()) {
            rotate();
        }
        ByteBuffer buffer = end == 0 && header != null
                ? ByteBuffer.allocate(header.length + line.length).put(header).put(line).flip()
                : ByteBuffer.wrap(line);
        long pos = end;
        torn = true;
        while (buffer.hasRemaining()) {
            pos += channel.write(buffer, pos);
        }
        if (options.sync()) {
            channel.force(false);
        }
        end = pos;
        torn = false;
    }

    /** Cuts off what a failed write left; when that fails too, the next append cuts it before writing. */
    private void cutTornLine() {
        if (channel != null && torn) {
            try {
                channel.truncate(end);
                torn = false;
            } catch (IOException ignored) {
                // torn stays true: the next append truncates first
            }
        }
    }

    private void open() throws IOException {
        FileChannel ch = channels.open(path);
        try {
            end = lastCompleteLineEnd(ch);
            ch.truncate(end);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        channel = ch;
        torn = false;
    }

    private void rotate() throws IOException {
        channel.close();
        channel = null;
        int keep = options.maxFiles();
        for (int i = keep + 1; Files.deleteIfExists(rotated(i)); i++) {
            // files beyond the retention (left by a larger max-files) go too
        }
        for (int i = keep - 1; i >= 1; i--) {
            if (Files.exists(rotated(i))) {
                Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(path, rotated(1), StandardCopyOption.REPLACE_EXISTING);
        open();
    }

    /** Returns {@code name.i}. */
    Path rotated(int i) {
        return path.resolveSibling(path.getFileName() + "." + i);
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
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // every line was written when append returned
        }
    }
}
