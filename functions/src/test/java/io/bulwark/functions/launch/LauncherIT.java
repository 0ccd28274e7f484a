package io.bulwark.functions.launch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar on a Java older than the app's: a real JDK 17 process ({@code java -jar target/bulwark.jar}).
 */
class LauncherIT {

    private static final Path JAR = Path.of("target/bulwark.jar");
    /** Debian's default JDK on our machines and CI; {@code BULWARK_JAVA17} points elsewhere. */
    private static final Path JAVA_17 = Path.of(System.getenv().getOrDefault("BULWARK_JAVA17",
            "/usr/lib/jvm/java-17-openjdk-amd64/bin/java"));

    record Result(int status, String out, String err) {
    }

    private static Result run(Path java, Path dir, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 3];
        command[0] = java.toString();
        command[1] = "-jar";
        command[2] = JAR.toAbsolutePath().toString();
        System.arraycopy(args, 0, command, 3, args.length);
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished in time").isTrue();
        return new Result(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void should_name_the_java_it_needs_and_exit_1_on_java_17_instead_of_a_class_version_error(@TempDir Path dir)
            throws Exception {
        assertThat(JAVA_17).as("a JDK 17 (apt-get install openjdk-17-jdk-headless, or set BULWARK_JAVA17)")
                .isExecutable();

        Result result = run(JAVA_17, dir, "--help");

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Bulwark needs Java 21 or newer; this is Java 17 ("
                + JAVA_17.toRealPath().getParent().getParent() + "). Use bin/run, which picks a JDK 21+, or set "
                + "JAVA_HOME to one and run $JAVA_HOME/bin/java." + System.lineSeparator());
        assertThat(result.out()).isEmpty();
    }

    @Test
    void should_hand_over_to_the_application_on_this_java(@TempDir Path dir) throws Exception {
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());

        Result result = run(java, dir, "--help");

        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("Usage: bulwark");
        assertThat(result.err()).doesNotContain("needs Java");
    }
}
