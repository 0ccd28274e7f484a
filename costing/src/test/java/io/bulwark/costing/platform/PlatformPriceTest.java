package io.bulwark.costing.platform;

import io.bulwark.costing.PriceTable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The platform arithmetic against cases computed by hand from the list prices in the built-in price file. */
class PlatformPriceTest {

    private final PlatformPrices platforms = PriceTable.defaults().platforms();

    @Test
    void should_bill_a_lambda_request_for_the_whole_llm_wait_at_its_memory() {
        FunctionPrice x86 = platforms.requireFunction("aws-lambda-x86");

        // 1,024 MB = 1 GB held 500 ms: 0.5 GB-s × $0.0000166667 = $0.00000833335, + $0.20 / 1M = $0.00000853335
        assertThat(x86.cost(1024, 500)).isCloseTo(0.00000853335, within(1e-15));
        // per 1,000 requests: $0.0085: nearly the workshop's whole $0.01 target
        assertThat(x86.cost(1024, 500) * 1000).isCloseTo(0.00853335, within(1e-12));
    }

    @Test
    void should_round_the_duration_up_to_the_millisecond_and_price_half_the_memory_at_half() {
        FunctionPrice x86 = platforms.requireFunction("aws-lambda-x86");

        // 512 MB, 500.2 ms → 501 ms: 0.5 GB × 0.501 s = 0.2505 GB-s × $0.0000166667 = $0.00000417500835, + $0.0000002
        assertThat(x86.billedMs(500.2)).isEqualTo(501);
        assertThat(x86.cost(512, 500.2)).isCloseTo(0.00000437500835, within(1e-15));
        // a cache hit that takes no measurable time is still one billed millisecond
        assertThat(x86.billedMs(0)).isEqualTo(1);
    }

    @Test
    void should_price_arm64_a_fifth_under_x86() {
        FunctionPrice arm = platforms.requireFunction("aws-lambda-arm64");

        // 1 GB × 0.5 s × $0.0000133334 = $0.0000066667, + $0.0000002 = $0.0000068667
        assertThat(arm.cost(1024, 500)).isCloseTo(0.0000068667, within(1e-15));
    }

    @Test
    void should_bill_azure_at_least_100_ms_and_memory_in_128_mb_steps() {
        FunctionPrice azure = platforms.requireFunction("azure-functions-consumption");

        // 300 MB → 384 MB = 0.375 GB; 40 ms → 100 ms: 0.0375 GB-s × $0.000016 = $0.0000006, + $0.0000002
        assertThat(azure.billedMemoryMb(300)).isEqualTo(384);
        assertThat(azure.billedMs(40)).isEqualTo(100);
        assertThat(azure.cost(300, 40)).isCloseTo(0.0000008, within(1e-15));
    }

    @Test
    void should_charge_a_gateway_per_request() {
        assertThat(platforms.requireGateway("aws-api-gateway-http").cost()).isCloseTo(0.000001, within(1e-15));
    }

    @Test
    void should_bill_containers_by_the_hour_whatever_the_requests() {
        ContainerPrice fargate = platforms.requireContainer("aws-fargate-x86");

        // 2 tasks × 720 h × (0.5 vCPU × $0.04048 + 1 GB × $0.004445) = 1,440 × $0.024685 = $35.5464
        assertThat(fargate.cost(0.5, 1, 2, ContainerPrice.HOURS_PER_30_DAYS)).isCloseTo(35.5464, within(1e-9));
        // 100,000 a day at 1.5× peak = 1.736 req/s × 0.6 s inside = 1.04 in flight: one task of 100, two minimum
        assertThat(ContainerPrice.tasksFor(100_000 / 86_400.0 * 1.5, 0.6, 100, 2)).isEqualTo(2);
        assertThat(ContainerPrice.tasksFor(500, 0.6, 100, 1)).isEqualTo(3);
    }

    @Test
    void should_refuse_a_platform_the_file_does_not_name() {
        assertThatThrownBy(() -> platforms.requireFunction("aws-lambda-risc5"))
                .hasMessageContaining("aws-lambda-x86");
    }
}
