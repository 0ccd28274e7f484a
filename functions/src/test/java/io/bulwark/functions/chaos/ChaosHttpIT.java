package io.bulwark.functions.chaos;

import io.bulwark.tools.chaos.ChaosExperiments;
import io.bulwark.chaos.FakeLlmServer;
import io.bulwark.chaos.FaultInjector;
import io.bulwark.chaos.FaultPlan;
import io.bulwark.chaos.LabelSource;
import io.bulwark.chaos.experiment.BreakerEvent;
import io.bulwark.chaos.experiment.Scenarios;
import io.bulwark.chaos.experiment.Summary;
import io.bulwark.sentiment.SentimentLabel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chaos over HTTP: the running local runner, its real OpenAI client talking to the fake LLM server, the
 * breaker read from the runner's gauge. The breaker waits 2 s open (instead of 30 s) so that recovery fits
 * in a short run, and the semantic cache is off: the traffic's near-duplicate texts would otherwise be
 * answered from it and keep the outage from reaching the provider. Everything else is the app's default.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bulwark.breaker.wait-in-open-state=2s",
        "bulwark.cache.semantic.enabled=false",
        // The chaos is in the LLM: with the cost router the plain texts would be answered locally and miss it.
        "bulwark.router.enabled=false",
})
class ChaosHttpIT {

    static final FakeLlmServer LLM = FakeLlmServer.start(0, new FaultInjector(FaultPlan.none(), 1),
            LabelSource.constant(SentimentLabel.NEUTRAL), Clock.systemUTC());

    @DynamicPropertySource
    static void llm(DynamicPropertyRegistry registry) {
        registry.add("bulwark.llm.base-url", LLM::baseUrl);
    }

    @AfterAll
    static void stop() {
        LLM.close();
    }

    @LocalServerPort
    int port;

    private Summary run(String scenario, int requests, Duration span) {
        return ChaosExperiments.overHttp(Scenarios.named(scenario).orElseThrow().withSpan(span), requests, 42,
                URI.create("http://127.0.0.1:" + port), LLM, ChaosExperiments.DEADLINE,
                ChaosExperiments.defaultOpensWithin(), scenario + "-it:", i -> {
                });
    }

    private static String verdicts(Summary s) {
        return s.checks().stream().map(c -> c.verdict() + " " + c.name() + ": " + c.detail())
                .collect(Collectors.joining("\n"));
    }

    @Test
    void should_hold_the_hypothesis_through_an_outage_over_http_with_the_breaker_opening_and_closing() {
        long before = LLM.chatCalls();

        // The default breaker opens after 35 failed calls (70% of its 50-call window, issue 20): the outage (30% to
        // 60% of the run) must last more than 35 requests, hence 150 requests (45 into the outage) over 20 s.
        Summary s = run("outage-recovery", 150, Duration.ofSeconds(20));

        assertThat(s.holds()).as(verdicts(s)).isTrue();
        assertThat(s.run().breakerEvents()).extracting(BreakerEvent::to).contains("OPEN", "CLOSED");
        assertThat(s.byTier().get("local")).isPositive();
        assertThat(s.byTier().get("llm-cheap")).isPositive();
        assertThat(LLM.chatCalls() - before).isEqualTo(s.run().providerCalls());
    }

    @Test
    void should_hold_the_hypothesis_in_the_workshop_flaky_mix_over_http() {
        Summary s = run("flaky-mix", 60, Duration.ofSeconds(10));

        assertThat(s.holds()).as(verdicts(s)).isTrue();
        assertThat(s.run().injected()).containsKeys("rate_limit", "timeout");
        assertThat(s.leaked()).isZero();
        assertThat(s.p95()).isLessThanOrEqualTo(ChaosExperiments.DEADLINE.toMillis());
    }
}
