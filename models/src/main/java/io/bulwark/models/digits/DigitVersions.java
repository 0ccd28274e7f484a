package io.bulwark.models.digits;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.models.train.Metrics;
import io.bulwark.models.train.VersionMetadata;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The digit network's versions in a {@link ModelRegistry} directory (the registry lists, promotes and rolls them
 * back as any model type's): each {@code vN/} holds the shared {@code metadata.json}, one ONNX file per
 * {@link Variant}, and {@code artifacts.json} registering each variant's file with its size, SHA-256 and held-out
 * figures. A version trained and exported by {@code TrainDigits} ships in the jar ({@value #BUNDLED}) and is
 * installed as {@code v1} into an empty registry, so a fresh clone serves at once.
 */
public final class DigitVersions {

    /** The class-path directory of the shipped version. */
    public static final String BUNDLED = "digits/v1/";
    public static final String ARTIFACTS_FILE = "artifacts.json";

    private static final TypeReference<Map<String, Artifact>> ARTIFACTS = new TypeReference<>() {
    };

    private final ModelRegistry registry;
    private final JsonMapper json;

    public DigitVersions(ModelRegistry registry, JsonMapper json) {
        this.registry = registry;
        this.json = json;
    }

    public ModelRegistry registry() {
        return registry;
    }

    /** One registered file of a version: a variant's graph and what it measured on the held-out digits. */
    @JsonPropertyOrder({"file", "bytes", "sha256", "metrics"})
    public record Artifact(String file, long bytes, String sha256, Metrics metrics) {
    }

    /**
     * Installs the shipped version as {@code v1} and promotes it when the registry has no version; returns the
     * promoted version.
     */
    public synchronized String ensureInitialVersion() {
        if (registry.versions().isEmpty()) {
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put(ModelRegistry.METADATA_FILE, resource(ModelRegistry.METADATA_FILE));
            files.put(ARTIFACTS_FILE, resource(ARTIFACTS_FILE));
            for (Variant v : Variant.values()) {
                files.put(v.fileName(), resource(v.fileName()));
            }
            write(files, true);
        }
        String promoted = registry.promotion().promoted();
        if (promoted == null || !registry.exists(promoted)) {
            promoted = registry.versions().getFirst();
            registry.promote(promoted);
        }
        return promoted;
    }

    /**
     * Writes a new version (the next {@code vN}) atomically from its metadata and its variants' graphs, each
     * registered in {@code artifacts.json} with its held-out metrics; returns its name. Does not promote it.
     */
    public synchronized String save(VersionMetadata metadata, Map<Variant, byte[]> graphs, Map<Variant, Metrics> metrics) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        Map<String, Artifact> artifacts = new LinkedHashMap<>();
        for (Map.Entry<Variant, byte[]> e : graphs.entrySet()) {
            files.put(e.getKey().fileName(), e.getValue());
            artifacts.put(e.getKey().wire(), new Artifact(e.getKey().fileName(), e.getValue().length,
                    sha256(e.getValue()), metrics.get(e.getKey())));
        }
        files.put(ModelRegistry.METADATA_FILE, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(metadata));
        files.put(ARTIFACTS_FILE, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(artifacts));
        return write(files, false);
    }

    /** Returns a version's registered artifacts by variant wire name. */
    public Map<String, Artifact> artifacts(String version) {
        try (InputStream in = registry.storage().open(version, ARTIFACTS_FILE)) {
            return json.readValue(in, ARTIFACTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Loads a version's variants into ONNX Runtime, each checked against the SHA-256 {@code artifacts.json}
     * registered for it.
     *
     * @throws DigitRecogniser.LoadFailure when a file is missing, altered or not a graph ONNX Runtime runs
     */
    public DigitRecogniser load(String version) {
        Map<String, Artifact> artifacts;
        try {
            artifacts = artifacts(version);
        } catch (RuntimeException e) {
            throw new DigitRecogniser.LoadFailure(version, null, ARTIFACTS_FILE + " is missing or unreadable", e);
        }
        Map<Variant, byte[]> graphs = new EnumMap<>(Variant.class);
        for (Variant v : Variant.values()) {
            Artifact a = artifacts.get(v.wire());
            if (a == null) {
                continue;
            }
            byte[] bytes;
            try (InputStream in = registry.storage().open(version, v.fileName())) {
                bytes = in.readAllBytes();
            } catch (NoSuchFileException e) {
                throw new DigitRecogniser.LoadFailure(version, v, "its file " + v.fileName() + " is missing", e);
            } catch (IOException e) {
                throw new DigitRecogniser.LoadFailure(version, v, "its file cannot be read", e);
            }
            if (!sha256(bytes).equals(a.sha256())) {
                throw new DigitRecogniser.LoadFailure(version, v, "its file does not match the SHA-256 registered in "
                        + ARTIFACTS_FILE, null);
            }
            graphs.put(v, bytes);
        }
        if (graphs.isEmpty()) {
            throw new DigitRecogniser.LoadFailure(version, null, "it registers no variant", null);
        }
        return DigitRecogniser.load(version, graphs);
    }

    /** Writes a version whole through the registry's storage (staged, then moved into place; see RegistryStorage). */
    private String write(Map<String, byte[]> files, boolean initial) {
        try {
            return registry.storage().write(files, initial);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a digit version into " + registry.location(), e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = DigitVersions.class.getClassLoader().getResourceAsStream(BUNDLED + name)) {
            if (in == null) {
                throw new IllegalStateException("the shipped digit version lacks " + BUNDLED + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
