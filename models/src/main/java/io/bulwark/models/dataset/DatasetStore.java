package io.bulwark.models.dataset;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.bulwark.models.ModelInput;
import io.bulwark.models.ModelType;
import io.bulwark.models.input.Row;
import io.bulwark.models.input.RowReader;
import io.bulwark.models.registry.DurableFiles;
import io.bulwark.models.train.Labelled;
import io.bulwark.models.train.Split;
import io.bulwark.models.train.TrainingData;
import io.bulwark.resilience.failure.RequestRejected;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The dataset versions of one model type, in a directory (the registry's {@code datasets/}): each version
 * {@code ds-…/} holds {@code rows.jsonl} (the accepted rows as validated, with their label), {@code rejected.jsonl}
 * (every refused row with its reason) and {@code metadata.json} ({@link DatasetVersion}).
 *
 * <p>An ingest streams: each row is read, validated by the model type, and written to a staging directory before the
 * next is read, so memory holds one row and the per-feature figures, never the rows; a second pass over the stored
 * rows completes the profile. The staging directory is flushed and renamed into place in one {@code ATOMIC_MOVE}; a
 * failed ingest removes it, and one left by a crash is removed when the store opens. Versions are content-addressed
 * and never change: ingesting the same rows again answers the version already there.
 *
 * @param <I> the model type's input
 */
public final class DatasetStore<I extends ModelInput> {

    private static final Logger log = LoggerFactory.getLogger(DatasetStore.class);
    public static final String ROWS_FILE = "rows.jsonl";
    public static final String REJECTED_FILE = "rejected.jsonl";
    public static final String METADATA_FILE = "metadata.json";
    private static final String STAGING_PREFIX = ".staging-";
    private static final Pattern ID = Pattern.compile("ds-[0-9a-f]{16}");
    private static final int PROGRESS_EVERY = 100_000;
    private static final int RAW_ROW_CHARS = 2000;

    private final Path root;
    private final ModelType<I> type;
    private final JsonMapper json;
    private final Clock clock;
    private final long maxRows;

    /** Opens (creating if needed) the store at {@code root}, removing staging directories a crash left. */
    public DatasetStore(Path root, ModelType<I> type, JsonMapper json, Clock clock, long maxRows) {
        this.root = root.toAbsolutePath();
        this.type = type;
        this.json = json;
        this.clock = clock;
        this.maxRows = maxRows;
        try {
            Files.createDirectories(this.root);
            try (Stream<Path> s = Files.list(this.root)) {
                for (Path p : s.filter(p -> p.getFileName().toString().startsWith(STAGING_PREFIX)).toList()) {
                    DurableFiles.deleteTree(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the dataset store at " + this.root, e);
        }
    }

    public Path root() {
        return root;
    }

    /** The outcome of an ingest: the version, and whether this ingest made it (false: the same content was there). */
    public record Ingested(DatasetVersion version, boolean created) {
    }

    /**
     * Reads every row of {@code rows} into a new version. A row the model type refuses (or that is not a row) goes to
     * the rejected-rows report with its reason; a body that stops parsing, more than the row cap, or no accepted row
     * at all refuses the whole ingest and leaves nothing behind.
     *
     * @param source      what the rows are, recorded in the version (never a credential)
     * @param sourceField the request field a refusal of the whole source names ({@code body}, {@code query},
     *                    {@code url})
     */
    public Ingested ingest(RowReader rows, Map<String, Object> source, String sourceField) {
        long start = System.nanoTime();
        Path staging = root.resolve(STAGING_PREFIX + UUID.randomUUID());
        try {
            Files.createDirectory(staging);
            Profiler profiler = new Profiler();
            Map<String, Long> labels = new TreeMap<>();
            long accepted = 0;
            long rejected = 0;
            List<String> firstReasons = new ArrayList<>();
            MessageDigest rowsDigest = sha256();
            MessageDigest rejectedDigest = sha256();
            try (OutputStream rowsOut = new BufferedOutputStream(new DigestOutputStream(
                    Files.newOutputStream(staging.resolve(ROWS_FILE)), rowsDigest), 1 << 16);
                 OutputStream rejectedOut = new BufferedOutputStream(new DigestOutputStream(
                         Files.newOutputStream(staging.resolve(REJECTED_FILE)), rejectedDigest), 1 << 16)) {
                long read = 0;
                for (Row row = rows.next(); row != null; row = rows.next()) {
                    if (++read > maxRows) {
                        throw new RequestRejected(413, "too_many_rows", sourceField, "a dataset takes at most "
                                + maxRows + " rows (bulwark.datasets.max-rows)");
                    }
                    RequestRejected refusal = row.error();
                    Labelled<I> labelled = null;
                    if (refusal == null) {
                        try {
                            labelled = type.labelled(row.values());
                        } catch (RequestRejected e) {
                            if (e.status() != 400) {
                                throw e;
                            }
                            refusal = e;
                        }
                    }
                    if (labelled == null) {
                        rejected++;
                        if (firstReasons.size() < 3) {
                            firstReasons.add("row " + row.index() + ": " + refusal.getMessage());
                        }
                        writeLine(rejectedOut, new RejectedRow(row.index(), refusal.code(), refusal.field(),
                                refusal.getMessage(), raw(row.values())));
                    } else {
                        accepted++;
                        ObjectNode stored = (ObjectNode) json.readTree(labelled.input().json());
                        profiler.first(stored, row.values());
                        stored.put(type.labelField(), labelled.label());
                        labels.merge(labelled.label(), 1L, Long::sum);
                        writeLine(rowsOut, stored);
                    }
                    if (read % PROGRESS_EVERY == 0) {
                        log.info("dataset ingest {}: {} rows read ({} accepted, {} rejected) in {} ms", source.get("type"),
                                read, accepted, rejected, (System.nanoTime() - start) / 1_000_000);
                    }
                }
            }
            if (accepted == 0) {
                throw new RequestRejected("no_valid_rows", sourceField, (rejected == 0 ? "the source holds no rows"
                        : "none of its " + rejected + " rows is valid: " + String.join("; ", firstReasons))
                        + "; nothing was stored");
            }
            try (BufferedReader in = Files.newBufferedReader(staging.resolve(ROWS_FILE), StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    profiler.second(json.readTree(line));
                }
            }
            String rowsSha = HexFormat.of().formatHex(rowsDigest.digest());
            String rejectedSha = HexFormat.of().formatHex(rejectedDigest.digest());
            String id = "ds-" + HexFormat.of().formatHex(sha256().digest((rowsSha + "\n" + rejectedSha)
                    .getBytes(StandardCharsets.US_ASCII))).substring(0, 16);
            List<DatasetVersion.Column> schema = new ArrayList<>(profiler.columns());
            schema.add(new DatasetVersion.Column(type.labelField(), "label"));
            DatasetVersion version = new DatasetVersion(id, clock.instant(), source, rowsSha, type.labelField(), schema,
                    accepted, rejected, labels, profiler.profiles());
            json.writerWithDefaultPrettyPrinter().writeValue(staging.resolve(METADATA_FILE).toFile(), version);
            for (String f : List.of(ROWS_FILE, REJECTED_FILE, METADATA_FILE)) {
                DurableFiles.fsync(staging.resolve(f));
            }
            DurableFiles.fsync(staging);
            Path target = root.resolve(id);
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                DurableFiles.fsync(root);
            } catch (FileSystemException taken) {
                if (!Files.isDirectory(target)) {
                    throw taken;
                }
                DurableFiles.deleteTree(staging);
                log.info("dataset {}: the same rows are already stored; kept the version there", id);
                return new Ingested(get(id, "dataset"), false);
            }
            log.info("dataset {} ingested from {}: {} rows accepted, {} rejected, in {} ms", id, source.get("type"),
                    accepted, rejected, (System.nanoTime() - start) / 1_000_000);
            return new Ingested(version, true);
        } catch (IOException e) {
            cleanUp(staging);
            throw new UncheckedIOException("cannot write a dataset into " + root, e);
        } catch (RuntimeException e) {
            cleanUp(staging);
            throw e;
        }
    }

    /** Returns every version, oldest first. */
    public List<DatasetVersion> list() {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> ID.matcher(p.getFileName().toString()).matches())
                    .map(p -> read(p.getFileName().toString())).flatMap(Optional::stream)
                    .sorted(Comparator.comparing(DatasetVersion::createdAt).thenComparing(DatasetVersion::id)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns a version, or throws 400 (not an id) / 404 {@code unknown_dataset} naming {@code field}. */
    public DatasetVersion get(String id, String field) {
        if (id == null || !ID.matcher(id.strip()).matches()) {
            throw new RequestRejected("invalid_value", field, "\"" + field + "\" must be a dataset id like"
                    + " ds-0123456789abcdef, not '" + (id == null ? "" : clip(id)) + "'");
        }
        return read(id.strip()).orElseThrow(() -> new RequestRejected(404, "unknown_dataset", field, "dataset "
                + id.strip() + " does not exist; GET /datasets lists them"));
    }

    private Optional<DatasetVersion> read(String id) {
        Path file = root.resolve(id).resolve(METADATA_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(json.readValue(file.toFile(), DatasetVersion.class));
    }

    /** Returns up to {@code limit} rejected rows of a version, in source order. */
    public List<RejectedRow> rejected(String id, int limit) {
        List<RejectedRow> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(root.resolve(get(id, "id").id()).resolve(REJECTED_FILE))) {
            for (String line = in.readLine(); line != null && out.size() < limit; line = in.readLine()) {
                out.add(json.readValue(line, RejectedRow.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Returns a version's accepted rows, labelled, in their stored order; 404 naming {@code field} if unknown. */
    public List<Labelled<I>> rows(String id, String field) {
        DatasetVersion v = get(id, field);
        List<Labelled<I>> rows = new ArrayList<>((int) Math.min(v.rows(), Integer.MAX_VALUE));
        try (BufferedReader in = Files.newBufferedReader(root.resolve(v.id()).resolve(ROWS_FILE))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                Map<String, JsonNode> fields = new HashMap<>();
                json.readTree(line).properties().forEach(e -> fields.put(e.getKey(), e.getValue()));
                rows.add(type.labelled(fields));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /** Returns a version as training data: what {@code /train {"dataset": ...}} learns from and is measured on. */
    public TrainingData<I> data(String id, String field) {
        DatasetVersion v = get(id, field);
        return new DatasetData<>(rows(v.id(), field), v);
    }

    /** A dataset version as training data; a version's metadata names it ({@code data.dataset}). */
    record DatasetData<I>(List<Labelled<I>> rows, DatasetVersion version) implements TrainingData<I> {

        @Override
        public String source() {
            return "dataset " + version.id() + " (" + version.source().get("type") + ")";
        }

        @Override
        public String sha256() {
            return version.sha256();
        }

        @Override
        public Object summary(Split<I> split) {
            return new Summary(version.id(), version.source(), version.rows(), split.train().size(),
                    split.test().size(), Split.countByLabel(split.train()), Split.countByLabel(split.test()));
        }
    }

    /** What a version trained on a dataset records about its data. */
    @JsonPropertyOrder({"dataset", "dataset_source", "dataset_rows", "train_rows", "test_rows", "train_labels",
            "test_labels"})
    record Summary(String dataset, @JsonProperty("dataset_source") Map<String, Object> datasetSource,
                   @JsonProperty("dataset_rows") long datasetRows, @JsonProperty("train_rows") int trainRows,
                   @JsonProperty("test_rows") int testRows, @JsonProperty("train_labels") Map<String, Integer> trainLabels,
                   @JsonProperty("test_labels") Map<String, Integer> testLabels) {
    }

    private JsonNode raw(Map<String, ?> values) {
        if (values == null) {
            return null;
        }
        Map<String, Object> sorted = new TreeMap<>(values);
        String text = json.writeValueAsString(sorted);
        if (text.length() > RAW_ROW_CHARS) {
            return json.getNodeFactory().stringNode(text.substring(0, RAW_ROW_CHARS) + "…");
        }
        return json.readTree(text);
    }

    private void writeLine(OutputStream out, Object value) throws IOException {
        out.write(json.writeValueAsBytes(value));
        out.write('\n');
    }

    private void cleanUp(Path staging) {
        try {
            DurableFiles.deleteTree(staging);
        } catch (IOException e) {
            log.warn("could not remove {} ({}); it is removed at the next start", staging, e.toString());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }


    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    /** Map with a stable order for a source description. */
    public static Map<String, Object> source(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                m.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return m;
    }
}
