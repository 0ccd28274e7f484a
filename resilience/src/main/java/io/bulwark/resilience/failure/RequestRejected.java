package io.bulwark.resilience.failure;

/**
 * A request refused before any work: input the caller must fix (a 4xx), or a call the service knows it cannot
 * serve right now (503). It carries a machine-readable code, a sentence naming what is wrong, and the field at
 * fault; the edge turns it into the HTTP contract's error body, in one place. No stack trace: it is an answer,
 * not a bug. This is the one exception type for refusals in every module, from a validator deep in a model
 * type to the HTTP adapter.
 */
public final class RequestRejected extends RuntimeException {

    private final int status;
    private final String code;
    private final String field;

    /** A 400: the request is wrong in {@code field}. */
    public RequestRejected(String code, String field, String message) {
        this(400, code, field, message);
    }

    /**
     * A refusal with its own status: e.g. 404 for an unknown model version, 409 for nothing to roll back to, 413 for
     * a body too large, 415 for a content type not read here, 503 for a model that cannot be loaded.
     *
     * @throws IllegalArgumentException if {@code status} is neither a 4xx nor 503
     */
    public RequestRejected(int status, String code, String field, String message) {
        super(message, null, false, false);
        if ((status < 400 || status > 499) && status != 503) {
            throw new IllegalArgumentException("a refusal is a 4xx or a 503: " + status);
        }
        this.status = status;
        this.code = java.util.Objects.requireNonNull(code, "code");
        this.field = field;
    }

    /** Returns the HTTP status: a 4xx, or 503. */
    public int status() {
        return status;
    }

    /** Returns the machine-readable code, e.g. {@code missing_field}. */
    public String code() {
        return code;
    }

    /** Returns the field at fault (a body field, a header such as {@code Content-Type}, or {@code body}), or null. */
    public String field() {
        return field;
    }
}
