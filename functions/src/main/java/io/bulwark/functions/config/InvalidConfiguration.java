package io.bulwark.functions.config;

/**
 * A setting or a file it names that the application cannot start with. Start-up fails (a wrong price table must
 * not bill quietly), and {@link InvalidConfigurationFailureAnalyzer} reports it as the setting, what is wrong and
 * what to do, instead of a chain of bean-creation errors.
 */
public final class InvalidConfiguration extends RuntimeException {

    private final String property;
    private final String action;

    public InvalidConfiguration(String property, String problem, String action, Throwable cause) {
        super(property + ": " + problem, cause);
        this.property = property;
        this.action = action;
    }

    public String property() {
        return property;
    }

    public String action() {
        return action;
    }
}
