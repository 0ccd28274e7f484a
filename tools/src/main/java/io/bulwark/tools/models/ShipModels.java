package io.bulwark.tools.models;

import io.bulwark.models.ClassifierSettings;
import io.bulwark.models.penguins.PenguinModelType;
import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.models.train.ModelTrainer;
import io.bulwark.models.train.TrainingSpec;
import io.bulwark.sentiment.local.LocalSentimentModel;
import io.bulwark.sentiment.local.SentimentCorpus;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes the trained artifacts the app ships instead of training them at start-up: the local sentiment model
 * ({@link LocalSentimentModel#trainDefault()}, into {@code sentiment/src/main/resources}) and the penguin
 * classifier's {@code v1} ({@link TrainingSpec#defaults} on the default split, into
 * {@code models/src/main/resources/penguins/v1/}). Both trainings are seeded and record their data's SHA-256; the
 * tests {@code LocalSentimentModelTest} and {@code ShippedPenguinVersionTest} check that what ships is what this
 * produces.
 *
 * <p>Usage: {@code ShipModels REPOSITORY_ROOT} (see the README, "Shipped models").
 */
public final class ShipModels {

    private ShipModels() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ShipModels REPOSITORY_ROOT");
            System.exit(2);
        }
        Path root = Path.of(args[0]);
        Path sentiment = root.resolve("sentiment/src/main/resources")
                .resolve(LocalSentimentModel.SHIPPED_RESOURCE.substring(1));
        Files.createDirectories(sentiment.getParent());
        LocalSentimentModel model = LocalSentimentModel.trainDefault();
        try (OutputStream out = Files.newOutputStream(sentiment)) {
            model.write(out, SentimentCorpus.trainingSha256());
        }
        System.out.println("wrote " + sentiment + " (" + Files.size(sentiment) + " bytes): " + model);

        Path penguins = root.resolve("models/src/main/resources").resolve(PenguinModelType.SHIPPED_VERSION);
        Path scratch = Files.createTempDirectory("ship-penguins");
        try {
            PenguinModelType type = PenguinModelType.bundled();
            ClassifierSettings settings = ClassifierSettings.defaults();
            TrainingSpec d = TrainingSpec.defaults(type);
            TrainingSpec spec = new TrainingSpec(d.algorithm(), d.hyperparameters(), d.seed(), settings.splitSeed(),
                    settings.testFraction());
            ModelTrainer.Trained<?> v1 = new ModelTrainer<>(type, Clock.systemUTC()).train(spec);
            String version = new ModelRegistry(scratch, JsonMapper.builder().build()).saveInitial(v1);
            Files.createDirectories(penguins);
            try (Stream<Path> old = Files.list(penguins)) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
            try (Stream<Path> files = Files.list(scratch.resolve(version))) {
                for (Path f : files.sorted().toList()) {
                    Files.copy(f, penguins.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
                    System.out.println("wrote " + penguins.resolve(f.getFileName().toString()) + " (" + Files.size(f)
                            + " bytes)");
                }
            }
            System.out.println("penguin " + version + ": " + v1.metadata().algorithm() + ", held-out accuracy "
                    + v1.metadata().metrics().accuracy() + ", data sha256 " + v1.metadata().provenance().dataSha256());
        } finally {
            try (Stream<Path> all = Files.walk(scratch)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
