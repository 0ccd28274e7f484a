package io.bulwark.functions;

import io.bulwark.models.penguins.PenguinModelType;
import io.bulwark.models.registry.ModelRegistry;
import io.bulwark.models.train.ModelTrainer;
import io.bulwark.models.train.TrainingSpec;
import io.bulwark.models.predictionlog.PredictionLog;
import io.bulwark.models.predictionlog.PredictionRecord;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/**
 * The process {@link CrashSafetyIT} kills with SIGKILL. {@code registry DIR}: saves v1, then stages v2 and
 * says {@code STAGED} and waits to be killed before renaming it. {@code log BACKEND FILE}: appends records
 * for ever, saying {@code APPENDED n} every 500.
 */
public final class CrashChild {

    public static void main(String[] args) throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        if (args[0].equals("registry")) {
            PenguinModelType penguins = PenguinModelType.bundled();
            ModelTrainer.Trained<?> trained = new ModelTrainer<>(penguins, Clock.systemUTC())
                    .train(TrainingSpec.defaults(penguins));
            boolean[] first = {true};
            ModelRegistry registry = new ModelRegistry(Path.of(args[1]), json, staged -> {
                if (first[0]) {
                    first[0] = false;
                    return;
                }
                System.out.println("STAGED " + staged);
                System.out.flush();
                try {
                    System.in.read(); // blocks until the parent kills this process
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            registry.save(trained);
            registry.promote("v1");
            registry.save(trained);
            System.out.println("RENAMED (the parent should have killed this process first)");
            return;
        }
        try (PredictionLog log = PredictionLog.open(args[1], Path.of(args[2]), false, json)) {
            for (int i = 1; ; i++) {
                log.append(new PredictionRecord(Instant.now(), "r" + i, "predict", "v1",
                        "{\"island\":\"Dream\",\"bill_length_mm\":" + i + "}", "h" + i, "Adelie", 0.9, 0.1));
                if (i % 500 == 0) {
                    System.out.println("APPENDED " + i);
                    System.out.flush();
                }
            }
        }
    }
}
