package io.bulwark.chaos.report;

import io.bulwark.chaos.FaultInjector;
import io.bulwark.chaos.LabelSource;
import io.bulwark.chaos.experiment.BreakerEvent;
import io.bulwark.chaos.experiment.ChaosRunner;
import io.bulwark.chaos.experiment.Experiment;
import io.bulwark.chaos.experiment.Reply;
import io.bulwark.chaos.experiment.Scenarios;
import io.bulwark.chaos.experiment.Summary;
import io.bulwark.chaos.experiment.Target;
import io.bulwark.chaos.experiment.Traffic;
import io.bulwark.sentiment.SentimentLabel;
import io.bulwark.sentiment.report.TierPalette;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTest {

    /** A fake target: answers as the LLM tier with a seeded latency; the breaker opens once. */
    private static final class FakeTarget implements Target {
        private final RandomGenerator random = RandomGeneratorFactory.of(FaultInjector.ALGORITHM).create(5);
        private final LabelSource truth;
        private double now;

        FakeTarget(LabelSource truth) {
            this.truth = truth;
        }

        @Override
        public Reply send(String text) {
            String body = """
                    {"sentiment": "%s", "confidence": 0.9, "cached": false, "cache": null, "model_used": "m",
                     "tier": "llm-cheap", "degraded": false, "fallback": null, "cost_usd": 0.00002,
                     "latency_ms": 1, "request_id": "r", "similarity": null}""".formatted(truth.label(text).wire());
            return new Reply(200, body.getBytes(StandardCharsets.UTF_8), Duration.ofMillis(50 + random.nextInt(400)), null);
        }

        @Override
        public double now() {
            return now;
        }

        @Override
        public void waitUntil(double seconds) {
            now = seconds;
        }

        @Override
        public List<BreakerEvent> breakerChanges(int request) {
            return request == 40 ? List.of(new BreakerEvent(now, request, "CLOSED", "OPEN")) : List.of();
        }

        @Override
        public String mode() {
            return "fake";
        }

        @Override
        public void close() {
        }
    }

    private static ReportContext report(long seed) {
        var scenario = Scenarios.named("brown-out").orElseThrow();
        Traffic traffic = new Traffic(List.of(new Traffic.Item("good", SentimentLabel.POSITIVE),
                new Traffic.Item("bad", SentimentLabel.NEGATIVE)), 0.1, seed, "");
        Summary s = Summary.of(ChaosRunner.run(new Experiment(scenario, 200, seed, Duration.ofSeconds(2), 10),
                new FakeTarget(traffic.truth()), new FaultInjector(scenario.plan(), seed), traffic, i -> {
                }));
        return new ReportContext("chaos --seed " + seed, List.of(s));
    }

    @Test
    void should_render_the_same_bytes_for_the_same_run() {
        assertThat(MarkdownReport.render(report(3))).isEqualTo(MarkdownReport.render(report(3)));
        assertThat(HtmlReport.render(report(3))).isEqualTo(HtmlReport.render(report(3)));
    }

    @Test
    void should_put_one_row_per_scenario_and_the_verdicts_in_markdown() {
        String md = MarkdownReport.render(report(3));

        assertThat(md).contains("chaos --seed 3").contains("| brown-out | 200 |").contains("`no-5xx`")
                .contains("CLOSED → OPEN (request 40)").contains("| holds |");
    }

    @Test
    void should_make_a_self_contained_page_with_charts() {
        String html = HtmlReport.render(report(3));

        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg", "<polyline", "fill=\"#ffe0b2\"")
                .contains("answers by tier").doesNotContain("<script", "<link", "src=\"http");
        assertThat(html.split("<svg ", -1)).hasSize(3);
    }

    @Test
    void should_draw_charts_that_scale_to_the_page_not_a_fixed_width() {
        String html = HtmlReport.render(report(3));

        Matcher svg = Pattern.compile("<svg [^>]*>").matcher(html);
        int charts = 0;
        while (svg.find()) {
            charts++;
            assertThat(svg.group()).contains("viewBox=\"0 0 " + HtmlReport.WIDTH + " ").doesNotContain(" width=", " height=");
        }
        assertThat(charts).isEqualTo(2);
        assertThat(html).contains(".chart svg{display:block;width:100%;height:auto;", "<div class=\"scroll\"><table>");
    }

    @Test
    void should_put_titles_and_legends_outside_the_svg_where_they_wrap_instead_of_being_clipped() {
        String html = HtmlReport.render(report(3));

        assertThat(html).contains("<figcaption>latency over time", "<figcaption>answers by tier over time",
                "</span>p95</li>", "</span>deadline 2000 ms</li>", "</span>breaker opens</li>");
        List<String> inSvg = new ArrayList<>();
        for (String chart : html.split("<svg ")) {
            Matcher text = Pattern.compile("<text[^>]*>([^<]*)</text>").matcher(chart.substring(0,
                    Math.max(0, chart.indexOf("</svg>"))));
            while (text.find()) {
                inSvg.add(text.group(1));
            }
        }
        assertThat(inSvg).as("only tick labels are drawn inside a chart").isNotEmpty().contains("100 %", "120 s")
                .allMatch(t -> t.length() <= "2400 ms".length());
        assertThat(html).doesNotContain("<tspan");
    }

    @Test
    void should_give_every_tier_a_legend_entry_in_a_colour_of_its_own() {
        String html = HtmlReport.render(report(3));

        List<String> tiers = new ArrayList<>(Summary.TIERS);
        tiers.add("leaked");
        var colours = new HashSet<String>();
        for (String tier : tiers) {
            String colour = tier.equals("leaked") ? HtmlReport.LEAKED : TierPalette.colour(tier);
            assertThat(html).containsPattern("<li><span class=\"mark\" style=\"background:" + colour + "\"></span>"
                    + tier + " \\d+</li>");
            colours.add(colour);
        }
        assertThat(colours).as("one colour per tier").hasSize(tiers.size());
        assertThat(html).contains("<li><span class=\"mark\" style=\"background:" + TierPalette.colour("llm-cheap")
                + "\"></span>llm-cheap 200</li>").contains("fill=\"" + TierPalette.colour("llm-cheap") + "\"");
    }
}
