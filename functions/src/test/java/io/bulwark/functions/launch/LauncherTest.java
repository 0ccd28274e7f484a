package io.bulwark.functions.launch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LauncherTest {

    @Test
    void should_say_which_java_is_needed_which_one_this_is_and_what_to_do() {
        assertThat(Launcher.refusal(17, "/usr/lib/jvm/java-17-openjdk-amd64")).isEqualTo(
                "Bulwark needs Java 21 or newer; this is Java 17 (/usr/lib/jvm/java-17-openjdk-amd64). "
                        + "Use bin/run, which picks a JDK 21+, or set JAVA_HOME to one and run $JAVA_HOME/bin/java.");
    }

    @Test
    void should_require_the_java_the_rest_of_the_app_is_compiled_for() throws Exception {
        try (var in = LauncherTest.class.getResourceAsStream("/io/bulwark/functions/BulwarkApplication.class");
             var launcher = LauncherTest.class.getResourceAsStream("/io/bulwark/functions/launch/Launcher.class")) {
            assertThat(classFileMajor(in.readAllBytes())).isEqualTo(Launcher.REQUIRED_JAVA + 44);
            assertThat(classFileMajor(launcher.readAllBytes())).isEqualTo(17 + 44);
        }
    }

    /** The class file's major version: Java N writes N + 44. */
    private static int classFileMajor(byte[] classFile) {
        return (classFile[6] & 0xff) << 8 | classFile[7] & 0xff;
    }
}
