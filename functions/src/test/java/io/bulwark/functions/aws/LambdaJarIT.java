package io.bulwark.functions.aws;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded Lambda jar as built: under Lambda's 250 MB unzipped limit, flat (not Boot's nested
 * layout), with Spring's auto-configuration lists merged from every jar, no web server, and only
 * linux x86_64 native libraries (the rule in functions/pom.xml, checked on real libraries' layouts).
 */
class LambdaJarIT {

    private static final Path JAR = Path.of("target", "bulwark-aws.jar");
    private static final long LAMBDA_UNZIPPED_LIMIT = 250L * 1024 * 1024;
    private static final List<String> entries = new ArrayList<>();
    private static long unzipped;

    @BeforeAll
    static void read() throws IOException {
        try (ZipFile zip = new ZipFile(JAR.toFile())) {
            zip.stream().forEach(e -> {
                entries.add(e.getName());
                unzipped += Math.max(0, e.getSize());
            });
        }
    }

    private static String entry(String name) throws IOException {
        try (ZipFile zip = new ZipFile(JAR.toFile())) {
            ZipEntry e = zip.getEntry(name);
            assertThat(e).as(name).isNotNull();
            try (InputStream in = zip.getInputStream(e)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    @Test
    void should_stay_under_lambdas_unzipped_limit() {
        assertThat(unzipped).isLessThan(LAMBDA_UNZIPPED_LIMIT);
    }

    @Test
    void should_be_flat_with_the_handler_and_the_application() {
        assertThat(entries).contains(
                "org/springframework/cloud/function/adapter/aws/FunctionInvoker.class",
                "io/bulwark/functions/BulwarkApplication.class",
                "io/bulwark/functions/aws/ApiGatewayFunction.class");
        assertThat(entries).noneMatch(e -> e.startsWith("BOOT-INF/") || e.endsWith(".jar"));
    }

    @Test
    void should_merge_spring_auto_configuration_lists_from_every_jar() throws IOException {
        String imports = entry("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports");

        // From three different jars: a plain copy of any one jar's file would miss the others.
        assertThat(imports).contains("org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
                .contains("org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration")
                .contains("org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration");
    }

    @Test
    void should_leave_out_the_web_server_the_chaos_fake_server_and_the_command_lines() {
        // Netty itself is in: Lettuce, the Redis client of bulwark.state.redis-url, runs on it. Reactor Netty (a
        // WebFlux server) and the AWS SDK's Netty client are not.
        assertThat(entries).anyMatch(e -> e.startsWith("io/lettuce/core/"));
        assertThat(entries).noneMatch(e -> e.startsWith("org/apache/catalina/") || e.startsWith("reactor/netty/")
                || e.startsWith("software/amazon/awssdk/http/nio/netty/")
                || e.startsWith("wiremock/") || e.startsWith("com/github/tomakehurst/wiremock/")
                || e.startsWith("io/bulwark/tools/") || e.startsWith("io/bulwark/chaos/") || e.startsWith("picocli/"));
    }

    @Test
    void should_hold_only_linux_x86_64_native_libraries() {
        List<String> natives = entries.stream().filter(LambdaJarIT::isNative).toList();

        assertThat(natives).allMatch(n -> !excludedByPom(n), "every native library is one the rule keeps");
    }

    @Test
    void should_keep_linux_x86_64_natives_and_drop_the_others_in_real_layouts() throws IOException {
        // onnxruntime 1.29, sqlite-jdbc, the AWS runtime client and JNA, as their jars lay them out.
        List<String> kept = List.of(
                "ai/onnxruntime/native/linux-x64/libonnxruntime.so",
                "ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so",
                "org/sqlite/native/Linux/x86_64/libsqlitejdbc.so",
                "jni/libaws-lambda-jni.linux-x86_64.so",
                "com/sun/jna/linux-x86-64/libjnidispatch.so",
                "native/lib/linux-x86_64/cpu/libtokenizers.so");
        List<String> dropped = List.of(
                "ai/onnxruntime/native/linux-aarch64/libonnxruntime.so",
                "ai/onnxruntime/native/osx-arm64/libonnxruntime.dylib",
                "ai/onnxruntime/native/osx-x64/libonnxruntime4j_jni.dylib",
                "ai/onnxruntime/native/win-x64/onnxruntime.dll",
                "ai/onnxruntime/native/win-x64/onnxruntime.pdb",
                "native/lib/osx-aarch64/libtokenizers.dylib",
                "org/sqlite/native/Linux/aarch64/libsqlitejdbc.so",
                "org/sqlite/native/Linux/x86/libsqlitejdbc.so",
                "org/sqlite/native/Linux-Musl/x86_64/libsqlitejdbc.so",
                "org/sqlite/native/Linux-Android/x86_64/libsqlitejdbc.so",
                "org/sqlite/native/FreeBSD/x86_64/libsqlitejdbc.so",
                "org/sqlite/native/Mac/x86_64/libsqlitejdbc.dylib",
                "org/sqlite/native/Windows/x86_64/sqlitejdbc.dll",
                "jni/libaws-lambda-jni.linux-aarch_64.so",
                "jni/libaws-lambda-jni.linux_musl-x86_64.so");

        assertThat(kept).noneMatch(LambdaJarIT::excludedByPom);
        assertThat(dropped).allMatch(LambdaJarIT::excludedByPom);
        assertThat(entries).noneMatch(e -> e.endsWith(".class") && excludedByPom(e));
    }

    private static boolean isNative(String entry) {
        return entry.matches("(?i).*\\.(so(\\.[0-9]+)*|dll|dylib|jnilib|pdb|lib|exp)");
    }

    private static List<Pattern> patterns;

    /** Applies the pom's shade excludes as the shade plugin does: backslashes become slashes, whole-path match. */
    private static boolean excludedByPom(String entry) {
        if (patterns == null) {
            try {
                String pom = Files.readString(Path.of("pom.xml"));
                patterns = new ArrayList<>();
                Matcher m = Pattern.compile("<lambda\\.[a-z-]+-natives>%regex\\[(.*)]</lambda").matcher(pom);
                while (m.find()) {
                    patterns.add(Pattern.compile(m.group(1).replace('\\', '/')
                            .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")));
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            assertThat(patterns).as("native-library rules in pom.xml").hasSize(2);
        }
        return patterns.stream().anyMatch(p -> p.matcher(entry).matches());
    }
}
