package io.bulwark.resilience;

/**
 * The kind of source that produced an answer, cheapest first.
 */
public enum Tier {
    CACHE("cache"),
    LOCAL("local"),
    LLM_CHEAP("llm-cheap"),
    LLM_STRONG("llm-strong"),
    TEMPLATE("template");

    private final String code;

    Tier(String code) {
        this.code = code;
    }

    /** Returns the name used on the wire and in metrics, e.g. {@code llm-cheap}. */
    public String code() {
        return code;
    }
}
