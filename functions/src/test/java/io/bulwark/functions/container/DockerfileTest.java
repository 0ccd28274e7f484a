package io.bulwark.functions.container;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Dockerfile cannot be built here (no registry serves its base images), so this checks that it builds the same
 * image as src/container/build-image.sh, which ContainerImageIT runs: the same jar from the same Maven build, the same
 * jlink module list, user, working directory, port and entry point.
 */
class DockerfileTest {

    private static final Path DOCKERFILE = Path.of("..", "Dockerfile");
    private static final Path SCRIPT = Path.of("src", "container", "build-image.sh");

    @Test
    void should_copy_the_jar_the_container_profile_builds() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        String pom = Files.readString(Path.of("pom.xml"));

        assertThat(dockerfile).contains("-pl functions -am package -DskipTests -Pcontainer")
                .contains("COPY --from=build /src/functions/target/bulwark-container.jar /app/bulwark.jar");
        assertThat(pom).contains("<id>container</id>")
                .contains("<outputFile>${project.build.directory}/bulwark-container.jar</outputFile>")
                .contains("<bulwark.image.tarball.skip>");
        assertThat(Files.readString(Path.of("..", ".dockerignore"))).contains("**/target");
    }

    @Test
    void should_jlink_the_module_list_the_offline_image_uses() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        String script = Files.readString(SCRIPT);
        String modules = Files.readString(Path.of("src", "container", "jlink-modules")).strip();

        assertThat(dockerfile).contains("jlink --add-modules \"$(tr -d '[:space:]' < functions/src/container/jlink-modules)\"");
        assertThat(script).contains("jlink-modules");
        assertThat(List.of(modules.split(","))).contains("java.se", "jdk.unsupported", "jdk.management");
    }

    @Test
    void should_start_the_same_way_as_the_offline_image() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        String script = Files.readString(SCRIPT);

        assertThat(one(dockerfile, "(?m)^ENTRYPOINT (\\[.*])$")).isEqualTo(one(script, "(?m)^entrypoint='(\\[.*])'$"));
        assertThat(dockerfile).containsPattern("(?m)^USER 1000:1000$").containsPattern("(?m)^WORKDIR /data$")
                .containsPattern("(?m)^EXPOSE 8080$");
        assertThat(script).contains("\"User\":\"1000:1000\"", "\"WorkingDir\":\"/data\"", "\"8080/tcp\"");
    }

    private static String one(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }
}
