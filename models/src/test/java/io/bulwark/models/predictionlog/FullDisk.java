package io.bulwark.models.predictionlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * A disk that fills up on demand: the files it opens are real, but after {@link #fillAfter} more bytes a write
 * stores what still fits and the next write fails, as with ENOSPC. Truncating still works unless
 * {@link #failTruncates} is set.
 */
final class FullDisk implements AppendOnlyFile.Channels {

    private long room = Long.MAX_VALUE;
    private boolean failTruncates;

    /** Lets {@code bytes} more bytes be written, then fails every write. */
    synchronized void fillAfter(long bytes) {
        room = bytes;
    }

    /** Makes room again. */
    synchronized void free() {
        room = Long.MAX_VALUE;
        failTruncates = false;
    }

    synchronized void failTruncates() {
        failTruncates = true;
    }

    @Override
    public FileChannel open(Path path) throws IOException {
        return new Channel(REAL.open(path));
    }

    private synchronized int take(int wanted) throws IOException {
        if (room == 0) {
            throw new IOException("No space left on device");
        }
        int n = (int) Math.min(room, wanted);
        room -= n;
        return n;
    }

    private synchronized void checkTruncate() throws IOException {
        if (failTruncates) {
            throw new IOException("Input/output error");
        }
    }

    private final class Channel extends FileChannel {

        private final FileChannel real;

        Channel(FileChannel real) {
            this.real = real;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            int n = take(src.remaining());
            ByteBuffer part = src.slice(src.position(), n);
            int written = real.write(part, position);
            src.position(src.position() + written);
            return written;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return write(src, real.position());
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            checkTruncate();
            real.truncate(size);
            return this;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public void force(boolean metaData) throws IOException {
            real.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }
}
