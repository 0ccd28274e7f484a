package io.bulwark.models.registry;

import io.bulwark.models.InputField;
import io.bulwark.models.drift.ReferenceProfile;
import io.bulwark.models.pipeline.FittedPipeline;
import io.bulwark.models.train.ModelTrainer;
import io.bulwark.models.train.VersionMetadata;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A directory of model versions. Each version {@code vN/} holds {@code model.tribuo} (Tribuo's protobuf
 * format), {@code metadata.json} ({@link VersionMetadata}), {@code profile.json} ({@link ReferenceProfile}) and,
 * when it was trained through one, {@code pipeline.json} ({@link FittedPipeline}); {@code promotion.json} names the
 * promoted version and the ones promoted before it.
 *
 * <p>Writes are atomic: a version is written into a {@code .staging-*} directory, flushed to disk, then
 * renamed to {@code vN} in one {@code ATOMIC_MOVE}; {@code promotion.json} is replaced the same way. A
 * crash leaves either the whole version or none of it (plus a staging directory, removed at the next
 * start). Version numbers are taken by the rename itself: if {@code vN} already exists, {@code vN+1} is
 * tried, so two writers never share a number. Versions are never changed once written. The promotion
 * state is read once and then kept in memory: one process owns a registry's promotions.
 */
public final class ModelRegistry {

    public static final String MODEL_FILE = "model.tribuo";
    public static final String METADATA_FILE = "metadata.json";
    public static final String PROMOTION_FILE = "promotion.json";
    /** The training features' profile ({@link ReferenceProfile}); versions saved before drift existed have none. */
    public static final String PROFILE_FILE = "profile.json";
    /**
     * The fitted preprocessing pipeline ({@link FittedPipeline}); versions saved before pipelines existed have none and
     * read the model type's own features.
     */
    public static final String PIPELINE_FILE = "pipeline.json";
    private static final String STAGING_PREFIX = ".staging-";
    private static final Pattern VERSION = Pattern.compile("v([1-9][0-9]{0,8})");

    private final Path root;
    private final JsonMapper json;
    private final Consumer<Path> onStaged;
    /** promotion.json as last read or written: read on every request, so kept in memory. */
    private volatile Promotion promotion;

    /**
     * Opens (creating if needed) the registry at {@code root} and removes staging directories left by a crash.
     *
     * @param onStaged called with the staging directory once a version is fully written and before it is
     *                 renamed into place (tests use it to crash at the worst moment)
     */
    public ModelRegistry(Path root, JsonMapper json, Consumer<Path> onStaged) {
        this.root = root.toAbsolutePath();
        this.json = json;
        this.onStaged = onStaged;
        try {
            Files.createDirectories(this.root);
            try (Stream<Path> s = Files.list(this.root)) {
                for (Path p : s.filter(p -> p.getFileName().toString().startsWith(STAGING_PREFIX)
                        || p.getFileName().toString().startsWith("." + PROMOTION_FILE)).toList()) {
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the model registry at " + this.root, e);
        }
    }

    public ModelRegistry(Path root, JsonMapper json) {
        this(root, json, p -> { });
    }

    public Path root() {
        return root;
    }

    /** Returns true when {@code name} has the form of a version, {@code v1}, {@code v2}, ... */
    public static boolean isVersionName(String name) {
        return VERSION.matcher(name).matches();
    }

    /** Returns the versions present, oldest first. */
    public List<String> versions() {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(ModelRegistry::isVersionName)
                    .sorted(Comparator.comparingInt(ModelRegistry::number)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean exists(String version) {
        return isVersionName(version) && Files.isDirectory(root.resolve(version));
    }

    /** Returns a version's metadata, or empty if it is missing or unreadable. */
    public Optional<VersionMetadata> metadata(String version) {
        try {
            return Optional.of(json.readValue(root.resolve(version).resolve(METADATA_FILE).toFile(),
                    VersionMetadata.class));
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    /** Returns a version's training profile, or empty if it has none (saved before drift existed) or it is unreadable. */
    public Optional<ReferenceProfile> profile(String version) {
        Path file = root.resolve(version).resolve(PROFILE_FILE);
        if (!isVersionName(version) || !Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(file.toFile(), ReferenceProfile.class));
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    /**
     * Returns a version's fitted pipeline over rows of {@code fields}, or empty when it has none (saved before
     * pipelines existed, or trained without one); throws {@link LoadFailure} when its file is damaged.
     */
    public Optional<FittedPipeline> pipeline(String version, Map<String, InputField.Kind> fields) {
        Path file = root.resolve(version).resolve(PIPELINE_FILE);
        if (!isVersionName(version) || !Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(FittedPipeline.read(json.readTree(file.toFile()), fields));
        } catch (JacksonException | IllegalArgumentException e) {
            throw new LoadFailure(version, "its pipeline file is damaged or not a pipeline this app reads", e);
        }
    }

    /** Loads a version's model; throws {@link LoadFailure} when its file is missing, corrupt or not a classifier. */
    @SuppressWarnings("unchecked")
    public Model<Label> load(String version) {
        Path file = root.resolve(version).resolve(MODEL_FILE);
        Model<?> model;
        try {
            model = Model.deserializeFromFile(file);
        } catch (NoSuchFileException e) {
            throw new LoadFailure(version, "its model file is missing", e);
        } catch (IOException | RuntimeException e) {
            throw new LoadFailure(version, "its model file is damaged or not a model this app reads", e);
        }
        if (!model.validate(Label.class)) {
            throw new LoadFailure(version, "the model is not a classifier", null);
        }
        return (Model<Label>) model;
    }

    /** Writes a new version atomically and returns its name, the next free {@code vN}. */
    public synchronized String save(ModelTrainer.Trained<?> trained) {
        return save(trained, false);
    }

    /**
     * Writes {@code trained} as {@code v1} if no version exists yet; returns {@code v1} either way (another
     * process may have written it first, which is as good: v1 is deterministic).
     */
    public synchronized String saveInitial(ModelTrainer.Trained<?> trained) {
        return save(trained, true);
    }

    private String save(ModelTrainer.Trained<?> trained, boolean initial) {
        Path staging = root.resolve(STAGING_PREFIX + UUID.randomUUID());
        try {
            Files.createDirectory(staging);
            trained.model().serializeToFile(staging.resolve(MODEL_FILE));
            json.writerWithDefaultPrettyPrinter().writeValue(staging.resolve(METADATA_FILE).toFile(), trained.metadata());
            fsync(staging.resolve(MODEL_FILE));
            fsync(staging.resolve(METADATA_FILE));
            if (trained.profile() != null) {
                json.writeValue(staging.resolve(PROFILE_FILE).toFile(), trained.profile());
                fsync(staging.resolve(PROFILE_FILE));
            }
            if (trained.pipeline() != null) {
                json.writerWithDefaultPrettyPrinter().writeValue(staging.resolve(PIPELINE_FILE).toFile(),
                        trained.pipeline().toJson());
                fsync(staging.resolve(PIPELINE_FILE));
            }
            fsync(staging);
            int next = initial ? 1 : versions().stream().mapToInt(ModelRegistry::number).max().orElse(0) + 1;
            onStaged.accept(staging);
            while (true) {
                Path target = root.resolve("v" + next);
                try {
                    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                    fsync(root);
                    return "v" + next;
                } catch (FileSystemException taken) {
                    // rename(2) onto a non-empty directory fails with ENOTEMPTY, which Java may report as a
                    // plain FileSystemException: decide by what is on disk, not by the exception's type.
                    if (!Files.isDirectory(target)) {
                        throw taken;
                    }
                    if (initial) {
                        deleteTree(staging);
                        return "v1";
                    }
                    next++;
                }
            }
        } catch (IOException e) {
            try {
                deleteTree(staging);
            } catch (IOException ignored) {
                // removed at the next start
            }
            throw new UncheckedIOException("cannot write a version into " + root, e);
        }
    }

    /** The promoted version and those promoted before it, most recent last. */
    public record Promotion(String promoted, List<String> history) {
        public Promotion {
            history = List.copyOf(history);
        }
    }

    /** Returns the promotion state; {@code promoted} is null until a version is promoted. */
    public Promotion promotion() {
        Promotion p = promotion;
        if (p == null) {
            synchronized (this) {
                Path file = root.resolve(PROMOTION_FILE);
                p = Files.exists(file) ? json.readValue(file.toFile(), Promotion.class) : new Promotion(null, List.of());
                promotion = p;
            }
        }
        return p;
    }

    /** Promotes {@code version} (which must exist), remembering the one it replaces for {@link #rollback()}. */
    public synchronized Promotion promote(String version) {
        if (!exists(version)) {
            throw new IllegalArgumentException("no version " + version);
        }
        Promotion now = promotion();
        if (version.equals(now.promoted())) {
            return now;
        }
        List<String> history = new ArrayList<>(now.history());
        if (now.promoted() != null) {
            history.add(now.promoted());
        }
        return write(new Promotion(version, history));
    }

    /** Promotes the previously promoted version again; empty when there is none. */
    public synchronized Optional<Promotion> rollback() {
        Promotion now = promotion();
        if (now.history().isEmpty()) {
            return Optional.empty();
        }
        List<String> history = new ArrayList<>(now.history());
        String previous = history.removeLast();
        return Optional.of(write(new Promotion(previous, history)));
    }

    private Promotion write(Promotion p) {
        Path tmp = root.resolve("." + PROMOTION_FILE + "-" + UUID.randomUUID());
        try {
            json.writeValue(tmp.toFile(), p);
            fsync(tmp);
            Files.move(tmp, root.resolve(PROMOTION_FILE), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            fsync(root);
            promotion = p;
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + PROMOTION_FILE, e);
        }
    }

    static int number(String version) {
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a version: " + version);
        }
        return Integer.parseInt(m.group(1));
    }

    /** Flushes a file, or a directory's entries, to the disk. Some file systems cannot sync directories. */
    private static void fsync(Path path) {
        try (FileChannel ch = FileChannel.open(path, Files.isDirectory(path)
                ? new StandardOpenOption[]{StandardOpenOption.READ} : new StandardOpenOption[]{StandardOpenOption.WRITE})) {
            ch.force(true);
        } catch (IOException e) {
            // directory fsync is not supported everywhere; the rename is still atomic
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> s = Files.walk(path)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * A version that exists but whose model cannot be loaded. Its message reaches callers (a 409, a 503, a
     * {@code fallback}), so it says what is wrong in their terms; {@link #detail()} adds the library's own words and
     * the file's path, for the log.
     */
    public static final class LoadFailure extends RuntimeException {
        private final String version;

        LoadFailure(String version, String reason, Throwable cause) {
            super(version + " could not be loaded: " + reason, cause);
            this.version = version;
        }

        /** Returns the message with the cause the library gave (its exception type and message), for the log only. */
        public String detail() {
            return getCause() == null ? getMessage() : getMessage() + " (" + getCause() + ")";
        }

        public String version() {
            return version;
        }
    }
}
