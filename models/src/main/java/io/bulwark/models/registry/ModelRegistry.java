package io.bulwark.models.registry;

import io.bulwark.models.InputField;
import io.bulwark.models.drift.ReferenceProfile;
import io.bulwark.models.pipeline.FittedPipeline;
import io.bulwark.models.train.ModelTrainer;
import io.bulwark.models.train.VersionMetadata;
import io.bulwark.resilience.failure.RequestRejected;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model versions and the promotion pointer, in a {@link RegistryStorage}: a local directory by default
 * ({@link DirectoryStorage}), or S3-compatible object storage shared by a fleet. Each version {@code vN} holds
 * {@code model.tribuo} (Tribuo's protobuf format), {@code metadata.json} ({@link VersionMetadata}),
 * {@code profile.json} ({@link ReferenceProfile}) and, when it was trained through one, {@code pipeline.json}
 * ({@link FittedPipeline}); {@code promotion.json} names the promoted version and the ones promoted before it.
 *
 * <p>A version is written whole before it is listed and never changed after; the pointer is replaced whole. The
 * promotion state is read once and then kept in memory; a storage shared by a fleet tells the registry when another
 * instance changed it.
 *
 * <p>When the storage cannot be reached (object storage down, a network fault), what can be answered from memory is:
 * {@link #versions()} gives the last listing (and {@link #stale()} says why), {@link #metadata} what was read before
 * (a version never changes once written), the promotion state as last read. What cannot — checking or writing a
 * version, moving the pointer — is refused with a 503 {@code registry_unavailable}
 * ({@link io.bulwark.resilience.failure.RequestRejected}), never a 500.
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
    private static final Pattern VERSION = Pattern.compile("v([1-9][0-9]{0,8})");
    /** The code of the 503 refusal when the storage cannot be reached. */
    public static final String UNAVAILABLE = "registry_unavailable";
    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    private final RegistryStorage storage;
    private final JsonMapper json;
    /** promotion.json as last read or written: read on every request, so kept in memory. */
    private volatile Promotion promotion;
    /** The versions of the last listing that succeeded; null before the first. */
    private volatile List<String> listed;
    /** Why the last listing failed, or null when it succeeded. */
    private volatile String stale;
    /** Metadata read so far: a version is never changed once written, so what was read stays true. */
    private final Map<String, VersionMetadata> metadataRead = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Opens (creating if needed) the registry in the directory {@code root} and removes staging directories left by a
     * crash.
     *
     * @param onStaged called with the staging directory once a version is fully written and before it is
     *                 renamed into place (tests use it to crash at the worst moment)
     */
    public ModelRegistry(Path root, JsonMapper json, Consumer<Path> onStaged) {
        this(new DirectoryStorage(root, onStaged), json);
    }

    public ModelRegistry(Path root, JsonMapper json) {
        this(root, json, p -> { });
    }

    /** Opens the registry in {@code storage}; follows the pointer when another instance changes it. */
    public ModelRegistry(RegistryStorage storage, JsonMapper json) {
        this.storage = java.util.Objects.requireNonNull(storage, "storage");
        this.json = json;
        storage.onPointerChanged(content -> promotion = json.readValue(content, Promotion.class));
    }

    /** Returns where the versions live: a directory's path or {@code s3://bucket/prefix}. */
    public String location() {
        return storage.location();
    }

    /** Returns the storage. */
    public RegistryStorage storage() {
        return storage;
    }

    /** Returns true when {@code name} has the form of a version, {@code v1}, {@code v2}, ... */
    public static boolean isVersionName(String name) {
        return VERSION.matcher(name).matches();
    }

    /**
     * Returns the versions present, oldest first. When the storage cannot be listed, returns the last listing (see
     * {@link #stale()}); refuses with a 503 {@code registry_unavailable} when there was none.
     */
    public List<String> versions() {
        try {
            List<String> now = storage.versionNames().stream().filter(ModelRegistry::isVersionName)
                    .sorted(Comparator.comparingInt(ModelRegistry::number)).toList();
            listed = now;
            stale = null;
            return now;
        } catch (RuntimeException e) {
            List<String> last = listed;
            if (last == null) {
                throw unavailable("cannot list the versions", e);
            }
            if (stale == null) {
                log.warn("Model registry {}: cannot list the versions ({}); answering with the last listing until it"
                        + " can", storage.location(), e.toString());
            }
            stale = "the model registry cannot be listed right now: these are the versions of its last listing";
            return last;
        }
    }

    /** Returns why {@link #versions()} gave the last listing instead of a fresh one; empty when the last was fresh. */
    public Optional<String> stale() {
        return Optional.ofNullable(stale);
    }

    /** Returns true if {@code version} exists; refuses with a 503 {@code registry_unavailable} when it cannot tell. */
    public boolean exists(String version) {
        try {
            return isVersionName(version) && storage.exists(version);
        } catch (RuntimeException e) {
            throw unavailable("cannot check version " + version, e);
        }
    }

    /** Returns a version's metadata, or empty if it is missing or unreadable (and was never read before). */
    public Optional<VersionMetadata> metadata(String version) {
        VersionMetadata known = metadataRead.get(version);
        if (known != null) {
            return Optional.of(known);
        }
        try (InputStream in = storage.open(version, METADATA_FILE)) {
            VersionMetadata m = json.readValue(in, VersionMetadata.class);
            if (isVersionName(version)) {
                metadataRead.put(version, m);
            }
            return Optional.of(m);
        } catch (JacksonException | IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** The refusal of a call the storage cannot serve right now; the cause goes to the log, not to the caller. */
    private RequestRejected unavailable(String what, Exception cause) {
        log.warn("Model registry {}: {}: {}", storage.location(), what, cause.toString());
        return new RequestRejected(503, UNAVAILABLE, null, "the model registry cannot be reached right now (" + what
                + "); GET /models answers from its last listing meanwhile; try again later");
    }

    /** Returns a version's training profile, or empty if it has none (saved before drift existed) or it is unreadable. */
    public Optional<ReferenceProfile> profile(String version) {
        if (!isVersionName(version)) {
            return Optional.empty();
        }
        try (InputStream in = storage.open(version, PROFILE_FILE)) {
            return Optional.of(json.readValue(in, ReferenceProfile.class));
        } catch (JacksonException | IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /**
     * Returns a version's fitted pipeline over rows of {@code fields}, or empty when it has none (saved before
     * pipelines existed, or trained without one); throws {@link LoadFailure} when its file is damaged.
     */
    public Optional<FittedPipeline> pipeline(String version, Map<String, InputField.Kind> fields) {
        if (!isVersionName(version)) {
            return Optional.empty();
        }
        try (InputStream in = storage.open(version, PIPELINE_FILE)) {
            return Optional.of(FittedPipeline.read(json.readTree(in), fields));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | UncheckedIOException e) {
            throw new LoadFailure(version, "its pipeline file cannot be read", e);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new LoadFailure(version, "its pipeline file is damaged or not a pipeline this app reads", e);
        }
    }

    /** Loads a version's model; throws {@link LoadFailure} when its file is missing, corrupt or not a classifier. */
    @SuppressWarnings("unchecked")
    public Model<Label> load(String version) {
        Model<?> model;
        try (InputStream in = storage.open(version, MODEL_FILE)) {
            model = Model.deserializeFromStream(in);
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

    /**
     * Writes the version shipped in the class-path directory {@code directory} ({@link io.bulwark.models.ModelType#shippedVersion()}:
     * its model, metadata and, when present, profile and pipeline) as {@code v1} if no version exists yet, provided
     * {@code fits} accepts its metadata; returns the version written (or found, as {@link #saveInitial}), or empty
     * when nothing ships there or it does not fit (the caller trains instead).
     */
    public synchronized Optional<String> saveInitialShipped(String directory,
                                                          java.util.function.Predicate<VersionMetadata> fits) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : List.of(MODEL_FILE, METADATA_FILE, PROFILE_FILE, PIPELINE_FILE)) {
            try (InputStream in = ModelRegistry.class.getClassLoader().getResourceAsStream(directory + name)) {
                if (in != null) {
                    files.put(name, in.readAllBytes());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the shipped version " + directory + name, e);
            }
        }
        if (!files.containsKey(MODEL_FILE) || !files.containsKey(METADATA_FILE)) {
            return Optional.empty();
        }
        VersionMetadata metadata = json.readValue(files.get(METADATA_FILE), VersionMetadata.class);
        if (!fits.test(metadata)) {
            return Optional.empty();
        }
        try {
            return Optional.of(storage.write(files, true));
        } catch (IOException | RuntimeException e) {
            throw unavailable("cannot write a version", e);
        }
    }

    private String save(ModelTrainer.Trained<?> trained, boolean initial) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try {
            ByteArrayOutputStream model = new ByteArrayOutputStream();
            trained.model().serializeToStream(model);
            files.put(MODEL_FILE, model.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the model", e);
        }
        files.put(METADATA_FILE, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(trained.metadata()));
        if (trained.profile() != null) {
            files.put(PROFILE_FILE, json.writeValueAsBytes(trained.profile()));
        }
        if (trained.pipeline() != null) {
            files.put(PIPELINE_FILE, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(trained.pipeline().toJson()));
        }
        try {
            return storage.write(files, initial);
        } catch (IOException | RuntimeException e) {
            throw unavailable("cannot write a version", e);
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
                Optional<byte[]> content;
                try {
                    content = storage.readPointer();
                } catch (IOException | RuntimeException e) {
                    throw unavailable("cannot read " + PROMOTION_FILE, e);
                }
                p = content.isPresent() ? json.readValue(content.get(), Promotion.class)
                        : new Promotion(null, List.of());
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
        try {
            storage.writePointer(json.writeValueAsBytes(p));
            promotion = p;
            return p;
        } catch (IOException | RuntimeException e) {
            throw unavailable("cannot write " + PROMOTION_FILE, e);
        }
    }

    static int number(String version) {
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a version: " + version);
        }
        return Integer.parseInt(m.group(1));
    }

    /**
     * A version that exists but whose model cannot be loaded. Its message reaches callers (a 409, a 503, a
     * {@code fallback}), so it says what is wrong in their terms; {@link #detail()} adds the library's own words and
     * the file's path, for the log.
     */
    public static final class LoadFailure extends RuntimeException {
        private final String version;
        private boolean skipped;

        LoadFailure(String version, String reason, Throwable cause) {
            super(version + " could not be loaded: " + reason, cause);
            this.version = version;
        }

        /**
         * Returns the failure of a version that was not read at all: {@code reason} says why it is skipped (its
         * circuit breaker is open), in the same message shape as a failed load's.
         */
        public static LoadFailure skipped(String version, String reason, Throwable cause) {
            LoadFailure f = new LoadFailure(version, reason, cause);
            f.skipped = true;
            return f;
        }

        /** Returns true when the version was not read at all ({@link #skipped}): nothing new to log. */
        public boolean wasSkipped() {
            return skipped;
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
