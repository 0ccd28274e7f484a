package io.bulwark.models.digits;

import io.bulwark.models.VersionBreakers;
import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.models.train.Metrics;
import io.bulwark.models.train.VersionMetadata;
import io.bulwark.resilience.Ticker;
import io.bulwark.resilience.failure.RequestRejected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The digit service's circuit breakers: one per variant of a version (a failing int8 is skipped for fp32 at once once
 * its breaker opens) and one per version's load (a version whose files fail their check is not read again while open).
 */
class DigitBreakersTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    DigitService service() {
        return new DigitService(new DigitVersions(new ModelRegistry(dir, JSON), JSON),
                DigitModelType.bundled(ImageLimits.defaults()),
                new DigitService.Settings(0.5, Variant.INT8, 64, 256, 2, Duration.ofSeconds(5)),
                io.bulwark.models.drift.DriftSettings.defaults(),
                new VersionBreakers("digits", VersionBreakers.DEFAULTS, CLOCK, Ticker.system()));
    }

    @Test
    void should_skip_a_failing_int8_variant_for_fp32_once_its_breaker_opens() throws Exception {
        DigitService service = service();
        service.start();
        DigitVersions versions = new DigitVersions(new ModelRegistry(dir, JSON), JSON);
        VersionMetadata metadata = versions.registry().metadata("v1").orElseThrow();
        byte[] fp32 = Files.readAllBytes(dir.resolve("v1").resolve(Variant.FP32.fileName()));
        Metrics none = Metrics.of(List.of("0"), List.of("0"));
        String v2 = versions.save(metadata, Map.of(Variant.FP32, fp32, Variant.INT8, DigitServiceTest.failingGraph()),
                Map.of(Variant.FP32, none, Variant.INT8, none));
        List<DigitImage> one = List.of(DigitData.bundled().split(DigitData.TEST_FRACTION, DigitData.SPLIT_SEED).test()
                .get(500).input());

        for (int i = 0; i < VersionBreakers.DEFAULTS.minimumNumberOfCalls(); i++) {
            assertThat(service.recognise(one, v2, "int8").fallback()).isEqualTo("int8 failed; answered by fp32");
        }
        DigitService.Answers skipped = service.recognise(one, v2, "int8");

        assertThat(service.breakerStates()).containsEntry("digits v2 int8", "OPEN")
                .containsEntry("digits v2 fp32", "CLOSED");
        assertThat(skipped.variant()).isEqualTo(Variant.FP32);
        assertThat(skipped.fallback()).isEqualTo("int8 skipped: its circuit breaker is open; answered by fp32");
        assertThat(skipped.degraded()).isFalse();
        assertThat(skipped.answers().getFirst().probabilities()).hasSize(10);
        assertThat(service.recognise(one, "v1", "int8").fallback()).as("v1's int8 has its own breaker").isNull();
    }

    @Test
    void should_stop_reading_a_version_whose_files_fail_their_check_once_its_breaker_opens() throws Exception {
        DigitService first = service();
        first.start();
        DigitVersions versions = new DigitVersions(new ModelRegistry(dir, JSON), JSON);
        VersionMetadata metadata = versions.registry().metadata("v1").orElseThrow();
        byte[] fp32 = Files.readAllBytes(dir.resolve("v1").resolve(Variant.FP32.fileName()));
        Metrics none = Metrics.of(List.of("0"), List.of("0"));
        String v2 = versions.save(metadata, Map.of(Variant.FP32, fp32), Map.of(Variant.FP32, none));
        Path file = dir.resolve(v2).resolve(Variant.FP32.fileName());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(file, bytes);
        List<DigitImage> one = List.of(DigitData.bundled().split(DigitData.TEST_FRACTION, DigitData.SPLIT_SEED).test()
                .getFirst().input());

        for (int i = 0; i < VersionBreakers.DEFAULTS.minimumNumberOfCalls(); i++) {
            assertThatThrownBy(() -> first.recognise(one, v2, null)).isInstanceOf(RequestRejected.class)
                    .hasMessageContaining("SHA-256");
        }

        assertThatThrownBy(() -> first.recognise(one, v2, null)).isInstanceOf(RequestRejected.class)
                .satisfies(e -> assertThat(((RequestRejected) e).status()).isEqualTo(503))
                .hasMessage("digit model version v2 is not read: its circuit breaker is open after failed loads");
        assertThat(first.breakerStates()).containsEntry("digits v2", "OPEN");
        assertThat(first.recognise(one, "v1", null).degraded()).isFalse();
    }
}
