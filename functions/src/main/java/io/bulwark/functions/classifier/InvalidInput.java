package io.bulwark.functions.classifier;

/**
 * Input the caller must fix: a machine-readable code, a sentence naming what is wrong, and the field at fault.
 * Carries no stack trace: it is an answer, not a bug.
 */
public final class InvalidInput extends RuntimeException {

    private final int status;
    private final String code;
    private final String field;

    /** A 400: the request is wrong. */
    public InvalidInput(String code, String field, String message) {
        this(400, code, field, message);
    }

    /** A 4xx of the given status, e.g. 404 for an unknown model version, 409 for nothing to roll back to. */
    public InvalidInput(int status, String code, String field, String message) {
        super(message, null, false, false);
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("a 4xx: " + status);
        }
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}
