package io.bulwark.models.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: Debian's {@code initdb} and {@code postgres} (package {@code postgresql}), a
 * fresh cluster in a temporary directory, listening on a free loopback port with trust authentication for the
 * {@code postgres} role. Both programs refuse to run as root, so as root they run as the {@code postgres} user the
 * package creates ({@code runuser -u postgres --}), in a directory that user owns. Fails (never skips) when the
 * package is missing: {@code .ci/run} installs it.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final int port;
    private final Process process;

    private PostgresServer(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Starts a server; returns once it accepts connections. */
    public static PostgresServer start() throws IOException, InterruptedException {
        Path bin = binDirectory();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("bulwark-pg-");
        Path data = dir.resolve("data");
        if (root) {
            run(List.of("chown", "postgres:postgres", dir.toString()));
        }
        run(as(root, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                "--auth=trust", "-E", "UTF8", "--no-sync")));
        int port = freePort();
        ProcessBuilder pb = new ProcessBuilder(as(root, List.of(bin.resolve("postgres").toString(), "-D",
                data.toString(), "-p", Integer.toString(port), "-k", dir.toString(), "-c",
                "listen_addresses=127.0.0.1", "-c", "fsync=off")));
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile());
        PostgresServer server = new PostgresServer(dir, port, pb.start());
        server.awaitReady();
        return server;
    }

    /** The JDBC URL of the {@code postgres} database. */
    public String url() {
        return url("postgres");
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The superuser, who needs no password here. */
    public String user() {
        return "postgres";
    }

    /** Opens a connection as the superuser (autocommit on), for the test's own set-up. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user(), "");
    }

    private void awaitReady() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("postgres exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("server.log")));
            }
            try (Connection c = connect()) {
                return;
            } catch (SQLException e) {
                last = e;
                Thread.sleep(100); // polling a starting server: no event to wait on
            }
        }
        close();
        throw new IllegalStateException("postgres did not accept connections within " + START_TIMEOUT + ": " + last);
    }

    private static Path binDirectory() throws IOException {
        Path lib = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> versions = Files.list(lib)) {
                List<Path> found = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("postgres")))
                        .sorted(Comparator.reverseOrder()).toList();
                if (!found.isEmpty()) {
                    return found.getFirst();
                }
            }
        }
        throw new IllegalStateException("PostgreSQL's server programs are missing (/usr/lib/postgresql/*/bin/initdb):"
                + " apt-get install -y postgresql (.ci/run does)");
    }

    private static List<String> as(boolean root, List<String> command) {
        if (!root) {
            return command;
        }
        List<String> c = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        c.addAll(command);
        return c;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Stops the server (its postmaster, by the pid it wrote) and removes its directory. */
    @Override
    public void close() {
        try {
            Path pid = dir.resolve("data").resolve("postmaster.pid");
            if (Files.exists(pid)) {
                long postmaster = Long.parseLong(Files.readAllLines(pid).getFirst().strip());
                ProcessHandle.of(postmaster).ifPresent(ProcessHandle::destroy); // SIGTERM: smart shutdown
                ProcessHandle.of(postmaster).ifPresent(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS)
                        .exceptionally(t -> {
                            h.destroyForcibly();
                            return h;
                        }).join());
            }
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
