package io.bulwark.functions.classifier.function;

import io.bulwark.functions.classifier.ClassifierService;
import io.bulwark.functions.classifier.registry.ModelRegistry;
import org.springframework.messaging.Message;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /rollback} (admin): promotes the previously promoted version again; 409 when there is none.
 */
public final class RollbackFunction extends ClassifierFunction {

    private final ClassifierService classifier;
    private final AdminAuth auth;

    public RollbackFunction(JsonMapper json, ClassifierService classifier, AdminAuth auth) {
        super("rollback", json);
        this.classifier = classifier;
        this.auth = auth;
    }

    @Override
    Object serve(Message<byte[]> request, Call call) {
        auth.check(header(request, "Authorization"));
        String before = classifier.promoted();
        ModelRegistry.Promotion p = classifier.rollback();
        return new PromoteFunction.Response("rolled back from " + before + " to " + p.promoted(), p.promoted(), before,
                p.history());
    }
}
