package io.bulwark.functions.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class CloudDefaultsTest {

    private static MockEnvironment processed(MockEnvironment env) {
        new CloudDefaults().postProcessEnvironment(env, new SpringApplication());
        return env;
    }

    @Test
    void should_detect_lambda_and_azure_from_their_own_variables() {
        assertThat(CloudRuntime.detect(new MockEnvironment())).isEqualTo(CloudRuntime.LOCAL);
        assertThat(CloudRuntime.detect(new MockEnvironment().withProperty("AWS_LAMBDA_FUNCTION_NAME", "bulwark")))
                .isEqualTo(CloudRuntime.AWS_LAMBDA);
        assertThat(CloudRuntime.detect(new MockEnvironment().withProperty("FUNCTIONS_WORKER_RUNTIME", "java")))
                .isEqualTo(CloudRuntime.AZURE_FUNCTIONS);
    }

    @Test
    void should_write_emf_and_json_logs_on_lambda_json_logs_on_azure_and_neither_locally() {
        MockEnvironment lambda = processed(new MockEnvironment().withProperty("AWS_LAMBDA_FUNCTION_NAME", "bulwark"));
        MockEnvironment azure = processed(new MockEnvironment().withProperty("FUNCTIONS_WORKER_RUNTIME", "java"));
        MockEnvironment local = processed(new MockEnvironment());

        assertThat(lambda.getProperty("bulwark.metrics.emf.enabled")).isEqualTo("true");
        assertThat(lambda.getProperty("logging.structured.format.console")).isEqualTo("ecs");
        assertThat(azure.getProperty("bulwark.metrics.emf.enabled")).isNull();
        assertThat(azure.getProperty("logging.structured.format.console")).isEqualTo("ecs");
        assertThat(local.getProperty("bulwark.metrics.emf.enabled")).isNull();
        assertThat(local.getProperty("logging.structured.format.console")).isNull();
    }

    @Test
    void should_let_configured_values_win_over_the_runtimes_defaults() {
        MockEnvironment lambda = processed(new MockEnvironment().withProperty("AWS_LAMBDA_FUNCTION_NAME", "bulwark")
                .withProperty("bulwark.metrics.emf.enabled", "false")
                .withProperty("logging.structured.format.console", ""));
        MockEnvironment local = processed(new MockEnvironment().withProperty("bulwark.metrics.emf.enabled", "true")
                .withProperty("logging.structured.format.console", "logstash"));

        assertThat(lambda.getProperty("bulwark.metrics.emf.enabled")).isEqualTo("false");
        assertThat(lambda.getProperty("logging.structured.format.console")).isEmpty();
        assertThat(local.getProperty("bulwark.metrics.emf.enabled")).isEqualTo("true");
        assertThat(local.getProperty("logging.structured.format.console")).isEqualTo("logstash");
    }
}
