package io.bulwark.functions.config;

import io.bulwark.functions.BulwarkApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A broken setting (a price file, the admin token, the decode budget) stops the start with the setting, the problem
 * and the way out — not a bean chain. */
class InvalidConfigurationIT {

    @Test
    void should_fail_the_start_naming_the_setting_the_line_and_what_to_do(@TempDir Path dir) throws Exception {
        Path prices = dir.resolve("prices.yaml");
        Files.writeString(prices, "version: x\nmodels: [1, 2\n");

        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(BulwarkApplication.class)
                .web(WebApplicationType.NONE)
                .run("--bulwark.cost.price-file=" + prices, "--bulwark.classifier.registry=" + dir.resolve("m")));
        FailureAnalysis analysis = new InvalidConfigurationFailureAnalyzer().analyze(failure);

        assertThat(analysis).as(String.valueOf(failure)).isNotNull();
        assertThat(analysis.getDescription()).startsWith("bulwark.cost.price-file: bad price file " + prices)
                .contains("not valid YAML", "(line 3, column 1)");
        assertThat(analysis.getAction()).contains("unset bulwark.cost.price-file");
    }

    @Test
    void should_fail_the_start_on_an_admin_token_of_only_white_space(@TempDir Path dir) {
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(BulwarkApplication.class)
                .web(WebApplicationType.NONE)
                .run("--bulwark.admin-token= \n", "--bulwark.classifier.registry=" + dir.resolve("m")));
        FailureAnalysis analysis = new InvalidConfigurationFailureAnalyzer().analyze(failure);

        assertThat(analysis).as(String.valueOf(failure)).isNotNull();
        assertThat(analysis.getDescription()).startsWith("bulwark.admin-token:").contains("white space");
        assertThat(analysis.getAction()).contains("BULWARK_ADMIN_TOKEN");
    }

    @Test
    void should_fail_the_start_on_a_decode_budget_that_cannot_hold_a_body_at_the_cap(@TempDir Path dir) {
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(BulwarkApplication.class)
                .web(WebApplicationType.NONE)
                .run("--bulwark.http.max-decoded-body=32MB", "--bulwark.http.decode-budget=32MB",
                        "--bulwark.classifier.registry=" + dir.resolve("m")));
        FailureAnalysis analysis = new InvalidConfigurationFailureAnalyzer().analyze(failure);

        assertThat(analysis).as(String.valueOf(failure)).isNotNull();
        assertThat(analysis.getDescription()).startsWith("bulwark.http:").contains("budget");
        assertThat(analysis.getAction()).contains("bulwark.http.decode-budget");
    }
}
