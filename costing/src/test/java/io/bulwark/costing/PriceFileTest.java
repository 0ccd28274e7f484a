package io.bulwark.costing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PriceFileTest {

    @Test
    void should_ship_a_dated_versioned_table_with_the_seed_prices_and_cached_input_prices() {
        PriceTable table = PriceTable.defaults();

        assertThat(table.version()).isEqualTo("2026-11.2");
        assertThat(table.effective()).isEqualTo(LocalDate.of(2026, 11, 29));
        assertThat(table.require("gpt-4")).isEqualTo(Price.perThousand(0.03, 0.06));
        assertThat(table.require("gpt-3.5-turbo")).isEqualTo(Price.perThousand(0.001, 0.002));
        assertThat(table.require("claude-instant").outputPerMillion()).isCloseTo(2.4, within(1e-9));
        assertThat(table.require("cached")).isEqualTo(Price.FREE);
        assertThat(table.require("gpt-4o").cachedInputPerMillion()).isEqualTo(1.25);
    }

    @Test
    void should_load_a_users_file_in_thousand_token_units(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("prices.yaml");
        Files.writeString(file, """
                version: mine-1
                effective: 2027-01-01
                unit: per_thousand_tokens
                models:
                  house-model: {input: 0.002, cached_input: 0.001, output: 0.004}
                """);

        PriceTable table = PriceTable.load(file);

        assertThat(table.version()).isEqualTo("mine-1");
        assertThat(table.origin()).isEqualTo(file.toString());
        assertThat(table.require("house-model")).isEqualTo(new Price(2.0, 4.0, 1.0));
        // 1,000 in of which 400 cached, 100 out: 600 × $2 + 400 × $1 + 100 × $4 per 1M = $0.002
        assertThat(table.require("house-model").cost(1000, 400, 100)).isCloseTo(0.002, within(1e-12));
    }

    @Test
    void should_read_platform_prices_and_batch_discounts_and_lend_the_built_in_platforms_to_a_file_without_them() {
        PriceTable mine = PriceFile.parse("""
                version: mine
                effective: 2027-01-01
                models:
                  house-model: {input: 1, output: 2, batch_discount: 0.5}
                platforms:
                  functions:
                    my-faas: {gb_second: 0.00002, per_million_requests: 0.3, minimum_ms: 50}
                """, "test");
        PriceTable modelsOnly = PriceFile.parse("""
                version: models-only
                effective: 2027-01-01
                models:
                  house-model: {input: 1, output: 2}
                """, "test");

        assertThat(mine.batchDiscount("house-model")).isEqualTo(0.5);
        assertThat(mine.batchDiscount("house-model-2027-01-01")).isEqualTo(0.5);
        assertThat(modelsOnly.batchDiscount("house-model")).isZero();
        // 1 GB, 20 ms → 50 ms: 0.05 GB-s × $0.00002 + $0.3 / 1M
        assertThat(mine.platforms().requireFunction("my-faas").cost(1024, 20)).isCloseTo(0.0000013, within(1e-15));
        assertThat(mine.withPlatformsFrom(PriceTable.defaults()).platforms().functions()).containsOnlyKeys("my-faas");
        assertThat(modelsOnly.withPlatformsFrom(PriceTable.defaults()).platforms().functions())
                .containsKeys("aws-lambda-x86", "aws-lambda-arm64", "azure-functions-consumption");
        assertThatThrownBy(() -> PriceFile.parse("""
                version: x
                effective: 2027-01-01
                models:
                  m: {input: 1, output: 2, batch_discount: 1.5}
                """, "test")).hasMessageContaining("batch_discount must be within 0..1");
    }

    @Test
    void should_reject_a_misspelt_key_rather_than_price_a_model_at_zero() {
        assertThatThrownBy(() -> PriceFile.parse("""
                version: x
                effective: 2027-01-01
                models:
                  gpt-4: {input: 30, ouput: 60}
                """, "test"))
                .hasMessageContaining("model gpt-4 has an unknown key 'ouput'");
    }

    @Test
    void should_reject_a_file_without_a_date_or_with_a_cached_price_above_the_input_price() {
        assertThatThrownBy(() -> PriceFile.parse("version: x\nmodels: {m: {input: 1, output: 1}}\n", "test"))
                .hasMessageContaining("lacks 'effective'");
        assertThatThrownBy(() -> PriceFile.parse(
                "version: x\neffective: 2027-01-01\nmodels: {m: {input: 1, cached_input: 2, output: 1}}\n", "test"))
                .hasMessageContaining("must not exceed the input price");
    }
}
