package io.bulwark.functions.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How bulwark.llm.providers binds, and what it refuses at start-up. */
class LlmProvidersPropertiesTest {

    private static BulwarkProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("bulwark",
                BulwarkProperties.class);
    }

    private static Map<String, String> twoProviders() {
        Map<String, String> p = new HashMap<>();
        p.put("bulwark.llm.providers[0].name", "openai");
        p.put("bulwark.llm.providers[0].base-url", "https://api.openai.com/v1");
        p.put("bulwark.llm.providers[0].api-key", "sk-secret");
        p.put("bulwark.llm.providers[0].models.cheap", "gpt-4o-mini");
        p.put("bulwark.llm.providers[0].limits.gpt-4o-mini.rpm", "500");
        p.put("bulwark.llm.providers[1].name", "anthropic");
        p.put("bulwark.llm.providers[1].kind", "anthropic");
        p.put("bulwark.llm.providers[1].models.cheap", "claude-3-5-haiku-latest");
        p.put("bulwark.llm.providers[1].weight", "0");
        return p;
    }

    @Test
    void should_bind_providers_in_order_with_their_limits_named_provider_colon_model() {
        BulwarkProperties.Llm llm = bind(twoProviders()).llm();

        assertThat(llm.enabled()).isTrue();
        assertThat(llm.providers()).extracting(BulwarkProperties.Llm.Provider::name).containsExactly("openai",
                "anthropic");
        assertThat(llm.providers().get(0).kind()).isEqualTo("openai");
        assertThat(llm.providers().get(0).weight()).isEqualTo(1);
        assertThat(llm.providers().get(1).weight()).isZero();
        assertThat(llm.providers().get(1).strong()).isEmpty();
        assertThat(llm.rateLimits()).containsOnlyKeys("openai:gpt-4o-mini");
        assertThat(llm.toString()).doesNotContain("sk-secret");
    }

    @Test
    void should_keep_the_single_base_url_as_it_was() {
        BulwarkProperties.Llm llm = bind(Map.of("bulwark.llm.base-url", "http://127.0.0.1:11434/v1")).llm();

        assertThat(llm.enabled()).isTrue();
        assertThat(llm.providers()).isEmpty();
        assertThat(llm.cheapModel()).isEqualTo("gpt-4o-mini");
        assertThat(llm.reaskSameChoice()).isFalse();
    }

    @Test
    void should_refuse_base_url_and_providers_together_an_unknown_kind_and_a_provider_without_a_model() {
        Map<String, String> both = twoProviders();
        both.put("bulwark.llm.base-url", "https://api.openai.com/v1");
        assertThatThrownBy(() -> bind(both)).isInstanceOf(BindException.class)
                .hasStackTraceContaining("not both");

        Map<String, String> kind = twoProviders();
        kind.put("bulwark.llm.providers[1].kind", "gemini");
        assertThatThrownBy(() -> bind(kind)).hasStackTraceContaining("must be one of [openai, anthropic]");

        Map<String, String> noModel = twoProviders();
        noModel.remove("bulwark.llm.providers[1].models.cheap");
        assertThatThrownBy(() -> bind(noModel)).hasStackTraceContaining("must name a cheap or a strong model");

        Map<String, String> sameName = twoProviders();
        sameName.put("bulwark.llm.providers[1].name", "openai");
        assertThatThrownBy(() -> bind(sameName)).hasStackTraceContaining("names must differ");
    }

    @Test
    void should_leave_hedging_off_by_default_and_bind_it_per_tier() {
        BulwarkProperties.Llm.Hedge off = bind(twoProviders()).llm().hedge();
        assertThat(off.cheap()).isFalse();
        assertThat(off.strong()).isFalse();
        assertThat(off.toPolicy()).isEqualTo(io.bulwark.resilience.Hedge.defaults());

        Map<String, String> on = twoProviders();
        on.put("bulwark.llm.hedge.cheap", "true");
        on.put("bulwark.llm.hedge.max-share", "0.05");
        BulwarkProperties.Llm.Hedge hedge = bind(on).llm().hedge();
        assertThat(hedge.cheap()).isTrue();
        assertThat(hedge.strong()).isFalse();
        assertThat(hedge.toPolicy().maxShare()).isEqualTo(0.05);

        Map<String, String> bad = twoProviders();
        bad.put("bulwark.llm.hedge.max-share", "2");
        assertThatThrownBy(() -> bind(bad)).hasStackTraceContaining("max share must be within 0..1");
    }
}
