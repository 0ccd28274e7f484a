package io.bulwark.functions.config;

import io.bulwark.functions.classifier.AdminAuth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

import java.security.SecureRandom;

/**
 * The admin token of this run: the configured one, or one generated at start-up. A generated token is shown in a
 * framed block once the runner has started, after Spring's last start-up line, where it is found without reading
 * the log; a configured one is never logged.
 */
final class AdminToken implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(AdminToken.class);
    private static final String RULE = "=".repeat(100);

    private final String value;
    private final boolean generated;

    private AdminToken(String value, boolean generated) {
        this.value = value;
        this.generated = generated;
    }

    /**
     * {@code configured} without surrounding white space, or a random token when it is null or empty. A token read
     * from a secrets file often ends in a newline that no caller sends: kept, it would lock every admin call out, so
     * it is stripped (and the log says so once, without the token).
     *
     * @throws InvalidConfiguration if the configured token is only white space
     */
    static AdminToken of(String configured, SecureRandom random) {
        if (configured == null || configured.isEmpty()) {
            return new AdminToken(AdminAuth.generate(random), true);
        }
        String token = configured.strip();
        if (token.isEmpty()) {
            throw new InvalidConfiguration("bulwark.admin-token", "the admin token is set but only white space",
                    "set BULWARK_ADMIN_TOKEN to a real token (e.g. openssl rand -base64 32), or unset it to have one "
                            + "generated for this run", null);
        }
        if (!token.equals(configured)) {
            log.warn("bulwark.admin-token has white space around it (a newline from a secrets file?): it is "
                    + "stripped; callers send the token without it");
        }
        return new AdminToken(token, false);
    }

    String value() {
        return value;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (generated) {
            log.warn(banner(value));
        }
    }

    /** The block that shows a generated token (starting on a line of its own under the log line's prefix). */
    static String banner(String token) {
        return String.join(System.lineSeparator(), "no admin token is set: generated one for this run", RULE,
                "  ADMIN TOKEN for this run (BULWARK_ADMIN_TOKEN sets your own), for /train, /promote, /rollback,",
                "  POST and GET /datasets, /tune, /jobs_cancel, the health details and the operator pages",
                "  (/dashboard, /metrics/*, /alerts, the actuator; a browser asks for it as the password):",
                "",
                "      Authorization: Bearer " + token,
                RULE);
    }
}
