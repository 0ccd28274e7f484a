package io.bulwark.functions;

import io.bulwark.functions.http.FunctionEndpoints;

import java.util.List;

/**
 * The application's own endpoint list, as its {@code FunctionEndpoints} bean builds it, for tests that
 * must cover every HTTP-exposed function (and the template and function.json that expose them).
 */
public final class TestEndpoints {

    private TestEndpoints() {
    }

    public static List<FunctionEndpoints.Endpoint> all() {
        return new BulwarkApplication().functionEndpoints().all();
    }
}
