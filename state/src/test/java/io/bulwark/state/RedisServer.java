package io.bulwark.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (Debian's package) on a free loopback port in a temporary directory, for tests: no
 * persistence, stopped with the test. {@link #kill()} and {@link #start()} again take it away and bring it back on
 * the same port, as an outage would.
 */
public final class RedisServer implements AutoCloseable {

    private final Path dir;
    private final int port;
    private Process process;

    private RedisServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts a server; fails (never skips) when {@code redis-server} is missing: {@code .ci/run} installs it. */
    public static RedisServer start(Path dir) throws IOException, InterruptedException {
        RedisServer server = new RedisServer(Files.createDirectories(dir), freePort());
        server.start();
        return server;
    }

    /** Starts the server (again) on its port. */
    public void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--appendonly", "no", "--protected-mode", "no",
                "--enable-debug-command", "local"))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!ping()) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
            }
            if (System.nanoTime() > end) {
                throw new IOException("redis-server did not answer PING within 20 s");
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** Kills the server at once ({@code SIGKILL}), as a crash would. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Makes the server answer nothing for {@code seconds} ({@code DEBUG SLEEP}: it blocks every client), as a slow
     * or stalled Redis would; returns at once, the stall runs on its own thread.
     */
    public Thread stall(double seconds) {
        return Thread.ofPlatform().daemon().start(() -> {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout((int) (seconds * 1000) + 10_000);
                s.getOutputStream().write(("DEBUG SLEEP " + seconds + "\r\n").getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                s.getInputStream().readNBytes(5); // +OK once it wakes
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** Deletes every key (a new day for budgets, fresh rate limits). */
    public void flushAll() throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("FLUSHALL\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            byte[] b = s.getInputStream().readNBytes(5);
            if (!new String(b, StandardCharsets.US_ASCII).equals("+OK\r\n")) {
                throw new IOException("FLUSHALL answered " + new String(b, StandardCharsets.US_ASCII));
            }
        }
    }

    /** Returns {@code redis://127.0.0.1:PORT}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    private boolean ping() {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] b = new byte[7];
            int n = in.readNBytes(b, 0, 7);
            return n == 7 && new String(b, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
