package io.bulwark.functions.classifier.function;

import io.bulwark.functions.classifier.ClassifierService;
import org.springframework.messaging.Message;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /models}: every version with its held-out metrics, which one is promoted, and the ones
 * promoted before it.
 */
public final class ModelsFunction extends ClassifierFunction {

    private final ClassifierService classifier;

    public ModelsFunction(JsonMapper json, ClassifierService classifier) {
        super("models", json);
        this.classifier = classifier;
    }

    @Override
    Object serve(Message<byte[]> request, Call call) {
        return classifier.models();
    }
}
