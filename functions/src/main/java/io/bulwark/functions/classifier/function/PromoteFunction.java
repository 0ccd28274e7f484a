package io.bulwark.functions.classifier.function;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.bulwark.functions.classifier.ClassifierService;
import io.bulwark.functions.classifier.InvalidInput;
import io.bulwark.functions.classifier.registry.ModelRegistry;
import org.springframework.messaging.Message;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * {@code POST /promote} (admin): {@code {"version": "v2"}} → that version serves requests without
 * {@code X-Model-Version}; the one it replaces is remembered for {@code /rollback}.
 */
public final class PromoteFunction extends ClassifierFunction {

    private final ClassifierService classifier;
    private final AdminAuth auth;

    public PromoteFunction(JsonMapper json, ClassifierService classifier, AdminAuth auth) {
        super("promote", json);
        this.classifier = classifier;
        this.auth = auth;
    }

    /** The answer of {@code /promote} and {@code /rollback}. */
    public record Response(String message, String promoted, String previous,
                           @JsonProperty("previously_promoted") List<String> previouslyPromoted) {
    }

    @Override
    Object serve(Message<byte[]> request, Call call) {
        auth.check(header(request, "Authorization"));
        JsonNode body = jsonObject(request);
        JsonNode v = body.get("version");
        if (v == null || v.isNull()) {
            throw new InvalidInput("missing_field", "version", "\"version\" is required, e.g. {\"version\": \"v2\"}");
        }
        if (!v.isString() || !ModelRegistry.isVersionName(v.stringValue().strip())) {
            throw new InvalidInput("invalid_value", "version", "\"version\" must look like v1, v2, ...");
        }
        String before = classifier.promoted();
        ModelRegistry.Promotion p = classifier.promote(v.stringValue().strip());
        String message = p.promoted().equals(before) ? p.promoted() + " was already promoted"
                : p.promoted() + " is promoted (was " + before + ")";
        return new Response(message, p.promoted(), before, p.history());
    }
}
