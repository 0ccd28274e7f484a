package io.bulwark.functions.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OtlpExportConfigurationTest {

    @Test
    void should_add_the_metrics_path_to_a_collectors_base_url_and_keep_a_full_one() {
        assertThat(OtlpExportConfiguration.url("http://collector:4318")).isEqualTo("http://collector:4318/v1/metrics");
        assertThat(OtlpExportConfiguration.url("http://collector:4318/")).isEqualTo("http://collector:4318/v1/metrics");
        assertThat(OtlpExportConfiguration.url("https://otlp.example/custom/metrics"))
                .isEqualTo("https://otlp.example/custom/metrics");
    }

    @Test
    void should_refuse_an_endpoint_that_is_not_an_http_url() {
        assertThatThrownBy(() -> OtlpExportConfiguration.url("collector:4318"))
                .isInstanceOf(InvalidConfiguration.class).hasMessageContaining("bulwark.metrics.otlp.endpoint");
        assertThatThrownBy(() -> OtlpExportConfiguration.url("http://bad host"))
                .isInstanceOf(InvalidConfiguration.class);
    }
}
