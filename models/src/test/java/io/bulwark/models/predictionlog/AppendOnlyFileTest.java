package io.bulwark.models.predictionlog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Recovery from failed writes (a full disk) and size-based rotation of the jsonl and csv logs. */
class AppendOnlyFileTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final PredictionLog.Options NO_ROTATION = new PredictionLog.Options(false, 0, 1);

    @TempDir
    Path dir;

    final FullDisk disk = new FullDisk();

    static PredictionRecord record(int i) {
        return new PredictionRecord(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i), "r" + i, "predict", "v1",
                "{\"island\":\"Dream\",\"note\":\"a, \\\"quoted\\\"\"}", "abc", "Adelie", 0.9, 1.5);
    }

    PredictionLog open(String backend, Path file, PredictionLog.Options options) {
        return Backends.open(backend, file, options, JSON, disk);
    }

    /** Returns the request ids of a jsonl or csv file, parsing every line (a glued or torn line fails). */
    static List<String> requestIds(Path file) throws Exception {
        List<String> ids = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        if (file.toString().contains(".csv")) {
            assertThat(lines.getFirst()).isEqualTo(String.join(",", PredictionRecord.COLUMNS));
            for (String line : lines.subList(1, lines.size())) {
                assertThat(line).matches("2026-01-01T\\d\\d:\\d\\d:\\d\\dZ,r\\d+,predict,v1,\"\\{.*\\}\",abc,Adelie,0\\.9,1\\.5");
                ids.add(line.split(",")[1]);
            }
        } else {
            for (String line : lines) {
                var node = JSON.readTree(line);
                assertThat(node.path("output").asString()).isEqualTo("Adelie");
                ids.add(node.path("request_id").asString());
            }
        }
        return ids;
    }

    @ParameterizedTest
    @ValueSource(strings = {"jsonl", "csv"})
    void should_leave_the_file_as_it_was_when_an_append_fails_half_way(String backend) throws Exception {
        Path file = dir.resolve("p." + backend);
        try (PredictionLog log = open(backend, file, NO_ROTATION)) {
            log.append(record(1));
            byte[] before = Files.readAllBytes(file);
            disk.fillAfter(20);

            assertThatThrownBy(() -> log.append(record(2))).isInstanceOf(PredictionLogException.class)
                    .hasMessageContaining("No space left on device");
            assertThat(Files.readAllBytes(file)).isEqualTo(before);

            disk.free();
            log.append(record(3));
        }

        assertThat(requestIds(file)).containsExactly("r1", "r3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jsonl", "csv"})
    void should_cut_the_fragment_before_the_next_append_when_cutting_it_at_once_failed(String backend)
            throws Exception {
        Path file = dir.resolve("p." + backend);
        try (PredictionLog log = open(backend, file, NO_ROTATION)) {
            log.append(record(1));
            long before = Files.size(file);
            disk.fillAfter(20);
            disk.failTruncates();

            assertThatThrownBy(() -> log.append(record(2))).isInstanceOf(PredictionLogException.class);
            assertThat(Files.size(file)).as("the fragment is still there").isEqualTo(before + 20);

            disk.free();
            log.append(record(3));
        }

        assertThat(requestIds(file)).containsExactly("r1", "r3");
    }

    @Test
    void should_write_the_csv_header_with_the_first_record_after_a_failed_first_append() throws Exception {
        Path file = dir.resolve("p.csv");
        try (PredictionLog log = open("csv", file, NO_ROTATION)) {
            disk.fillAfter(30);
            assertThatThrownBy(() -> log.append(record(1))).isInstanceOf(PredictionLogException.class);
            assertThat(Files.size(file)).isZero();

            disk.free();
            log.append(record(2));
        }

        assertThat(requestIds(file)).containsExactly("r2");
    }

    @Test
    void should_stop_a_batch_at_the_first_failed_record_and_keep_the_file_whole() throws Exception {
        Path file = dir.resolve("p.jsonl");
        int oneLine = JSON.writeValueAsBytes(record(1)).length + 1;
        try (PredictionLog log = open("jsonl", file, NO_ROTATION)) {
            disk.fillAfter(oneLine * 2L + 10);
            assertThatThrownBy(() -> log.appendAll(List.of(record(1), record(2), record(3), record(4))))
                    .isInstanceOf(PredictionLogException.class).hasMessageContaining("2 of 4 lines written");
            disk.free();
            log.append(record(5));
        }

        assertThat(requestIds(file)).containsExactly("r1", "r2", "r5");
    }

    @Test
    void should_tell_the_observer_of_each_failed_append_and_still_throw() {
        AtomicInteger failures = new AtomicInteger();
        try (PredictionLog log = PredictionLog.observed(open("jsonl", dir.resolve("p.jsonl"), NO_ROTATION),
                e -> failures.incrementAndGet())) {
            log.append(record(1));
            disk.fillAfter(0);

            assertThatThrownBy(() -> log.append(record(2))).isInstanceOf(PredictionLogException.class);
            assertThatThrownBy(() -> log.appendAll(List.of(record(3)))).isInstanceOf(PredictionLogException.class);
        }

        assertThat(failures).hasValue(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jsonl", "csv"})
    void should_rotate_on_the_size_limit_and_keep_only_max_files_old_ones(String backend) throws Exception {
        Path file = dir.resolve("p." + backend);
        long limit = 3L * (JSON.writeValueAsBytes(record(10)).length + 1) + 200; // three records and a csv header
        try (PredictionLog log = open(backend, file, new PredictionLog.Options(false, limit, 2))) {
            for (int i = 10; i < 30; i++) {
                log.append(record(i));
            }
        }

        assertThat(file.resolveSibling("p." + backend + ".3")).doesNotExist();
        List<String> kept = new ArrayList<>();
        for (Path p : List.of(dir.resolve("p." + backend + ".2"), dir.resolve("p." + backend + ".1"), file)) {
            assertThat(Files.size(p)).isLessThanOrEqualTo(limit);
            kept.addAll(requestIds(p));
        }
        assertThat(kept).isNotEmpty().last().isEqualTo("r29");
        int first = Integer.parseInt(kept.getFirst().substring(1));
        assertThat(kept).as("consecutive: nothing lost between files")
                .isEqualTo(java.util.stream.IntStream.range(first, 30).mapToObj(i -> "r" + i).toList());
    }

    @Test
    void should_start_a_rotated_csv_file_with_its_header_when_the_first_write_into_it_failed() throws Exception {
        Path file = dir.resolve("p.csv");
        try (PredictionLog log = open("csv", file, new PredictionLog.Options(false, 10, 3))) {
            log.append(record(1));
            disk.fillAfter(40); // the header and part of the record go into the new file, then the disk is full

            assertThatThrownBy(() -> log.append(record(2))).isInstanceOf(PredictionLogException.class);
            assertThat(Files.size(file)).as("the new file is cut back to nothing").isZero();

            disk.free();
            log.append(record(3));
        }

        assertThat(requestIds(dir.resolve("p.csv.1"))).containsExactly("r1");
        assertThat(requestIds(file)).containsExactly("r3");
    }

    @Test
    void should_give_a_line_longer_than_the_limit_a_file_of_its_own() throws Exception {
        Path file = dir.resolve("p.jsonl");
        try (PredictionLog log = open("jsonl", file, new PredictionLog.Options(false, 10, 5))) {
            log.append(record(1));
            log.append(record(2));
        }

        assertThat(requestIds(dir.resolve("p.jsonl.1"))).containsExactly("r1");
        assertThat(requestIds(file)).containsExactly("r2");
    }

    @Test
    void should_lose_no_record_and_split_none_when_many_threads_append_across_rotations() throws Exception {
        Path file = dir.resolve("p.jsonl");
        int threads = 8;
        int each = 400;
        long limit = 16 * 1024;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (PredictionLog log = open("jsonl", file, new PredictionLog.Options(false, limit, 10_000))) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * each;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        log.append(record(base + i));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }

        List<String> ids = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                assertThat(Files.size(p)).isLessThanOrEqualTo(limit);
                ids.addAll(requestIds(p));
            }
        }
        assertThat(ids).hasSize(threads * each).doesNotHaveDuplicates();
        try (var files = Files.list(dir)) {
            assertThat(files.count()).as("rotated at least once").isGreaterThan(10);
        }
    }

    @Test
    void should_refuse_fewer_than_one_kept_file_or_a_negative_size() {
        assertThatThrownBy(() -> new PredictionLog.Options(false, 100, 0))
                .hasMessageContaining("bulwark.prediction-log.max-files");
        assertThatThrownBy(() -> new PredictionLog.Options(false, -1, 3))
                .hasMessageContaining("bulwark.prediction-log.max-size");
    }
}
