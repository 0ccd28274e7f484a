package io.bulwark.functions.http;

import java.util.function.Function;

/**
 * A function reachable over HTTP, the same on every runtime (local runner, AWS Lambda, Azure Functions): it takes
 * the request and returns the answer body (a record serialised as JSON, or {@link RawJson}), or throws
 * {@link io.bulwark.resilience.failure.RequestRejected} for a request it refuses. Everything else of HTTP (routing,
 * decoding, request ids, status codes, error bodies, latency, the per-request log line, observers) is done once, by
 * {@link FunctionDispatcher}.
 * <p>
 * A new endpoint is one class implementing this and one bean: the function declares its route here, and the
 * dispatcher, the adapters, SnapStart priming and the SAM template test take it from there.
 */
public interface HttpFunction extends Function<FunctionRequest, Object> {

    /** Returns the route of this function: its name (the path, a template) and method. */
    FunctionEndpoints.Endpoint endpoint();

    /**
     * Returns the body a refusal of this function is answered with (its status stays): the contract's
     * {@link ApiError} unless a protocol the function speaks has its own error form (the Open Inference Protocol's
     * {@code {"error": "..."}}). Also used for the 405 of its path and for a failure of the function.
     */
    default Object errorBody(ApiError error) {
        return error;
    }

    /**
     * A body already written as JSON (by a streaming writer): sent as is. The bytes must be one JSON value.
     */
    record RawJson(byte[] bytes) {
    }

    /**
     * An answer with a status other than 200, e.g. 202 for work accepted to run later ({@code POST /tune}). Only 2xx:
     * a refusal is a {@link io.bulwark.resilience.failure.RequestRejected}.
     */
    record WithStatus(int status, Object body) {
        public WithStatus {
            if (status < 200 || status > 299) {
                throw new IllegalArgumentException("a function answers 2xx; refuse with RequestRejected: " + status);
            }
        }
    }
}
