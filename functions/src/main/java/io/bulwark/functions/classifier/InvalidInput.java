package io.bulwark.functions.classifier;

/**
 * Input the caller must fix: a machine-readable code, a sentence naming what is wrong, and the field at fault.
 * Carries no stack trace: it is an answer, not a bug.
 */
public final class InvalidInput extends RuntimeException {

    private final String code;
    private final String field;

    public InvalidInput(String code, String field, String message) {
        super(message, null, false, false);
        this.code = code;
        this.field = field;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}
