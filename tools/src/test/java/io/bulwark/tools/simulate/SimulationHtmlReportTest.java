package io.bulwark.tools.simulate;

import io.bulwark.resilience.Tier;
import io.bulwark.sentiment.report.TierPalette;
import io.bulwark.sentiment.simulate.HtmlReport;
import io.bulwark.sentiment.simulate.MarkdownReport;
import io.bulwark.sentiment.simulate.SimulationReport;
import io.bulwark.sentiment.simulate.Scenario;
import io.bulwark.sentiment.simulate.Simulator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulation's HTML page, checked for what a reader needs: charts that fit the page, a legend for every
 * colour, tick labels on every axis, and strategies labelled with what they run.
 */
class SimulationHtmlReportTest {

    /** No semantic cache, so no embedder is loaded: the page is what is tested, not the chain. */
    private static final String SCENARIO = """
            name: html
            seed: 7
            sample: 200
            traffic: {requests_per_day: 100000}
            tokens: {input: {mean: 150}, output: {mean: 200}}
            workload: {repeat_rate: 0.3, paraphrase_rate: 0.1}
            reference: gpt-4
            models:
              gpt-4: {accuracy: 0.97, latency_ms: {p50: 500, p95: 1200}, output_tokens_per_second: 35}
              gpt-3.5-turbo: {accuracy: 0.94, latency_ms: {p50: 300, p95: 800}, output_tokens_per_second: 90}
            chain: {deadline_ms: 15000, llm_timeout_ms: 12000, fallback_timeout_ms: 6000}
            strategies:
              - {name: baseline, strong: gpt-4}
              - {name: + exact cache, cheap: gpt-3.5-turbo, exact_cache: true}
              - {name: + router, cheap: gpt-3.5-turbo, strong: gpt-4, router: true, short_output: true,
                 deadline_ms: 2000, llm_timeout_ms: 1200, fallback_timeout_ms: 500}
            """;

    private static String html;
    private static List<String> charts;

    @BeforeAll
    static void render() throws Exception {
        html = HtmlReport.render(SimulateCommand.simulate(Scenario.parse(SCENARIO, Path.of(".")),
                Simulator.Progress.NONE));
        charts = new ArrayList<>();
        Matcher svg = Pattern.compile("<svg [^>]*>.*?</svg>", Pattern.DOTALL).matcher(html);
        while (svg.find()) {
            charts.add(svg.group());
        }
    }

    @Test
    void should_draw_four_charts_that_scale_to_the_page_not_a_fixed_width() {
        assertThat(charts).hasSize(4).allSatisfy(chart -> assertThat(chart.substring(0, chart.indexOf('>')))
                .containsPattern("viewBox=\"0 0 \\d+ \\d+\"").doesNotContain(" width=", " height="));
        assertThat(html).contains(".chart svg{display:block;width:100%;height:auto;", "<div class=\"scroll\"><table>")
                .doesNotContain("<script", "<link", "https://");
    }

    @Test
    void should_label_every_axis_with_ticks() {
        assertThat(ticks(charts.get(0))).contains("$0.1", "$1", "$10", "$100", "$1,000", "$10,000");
        assertThat(ticks(charts.get(1))).as("linear view").startsWith("$0").contains("$10,000");
        assertThat(ticks(charts.get(2))).containsExactly("0%", "25%", "50%", "75%", "100%");
        assertThat(ticks(charts.get(3))).containsExactly("80%", "85%", "90%", "95%", "100%");
    }

    @Test
    void should_give_every_colour_a_legend_entry() {
        for (Tier t : Tier.values()) {
            assertThat(html).contains("<li><span class=\"mark\" style=\"background:" + TierPalette.colour(t) + "\"></span>"
                    + t.code() + "</li>");
        }
        assertThat(html).contains(
                "style=\"background:#009E73\"></span>under $2,000 a month</li>",
                "style=\"background:#D55E00\"></span>$2,000 or more</li>",
                "</span>target: $2,000 a month</li>",
                "style=\"background:#009E73\"></span>95% or more accurate</li>",
                "style=\"background:#D55E00\"></span>below 95%</li>",
                "</span>target: 95% accurate</li>",
                "style=\"background:#0072B2\"></span>tokens</li>",
                "style=\"background:#E69F00\"></span>platform (function time, requests, gateway)</li>");
    }

    @Test
    void should_carry_every_number_of_the_markdown_tables_in_the_html() throws Exception {
        SimulationReport report = SimulateCommand.simulate(Scenario.parse(SCENARIO, Path.of(".")),
                Simulator.Progress.NONE);
        String md = MarkdownReport.render(report);
        String page = HtmlReport.render(report);
        Matcher number = Pattern.compile("\\$[0-9][0-9,]*\\.[0-9]+|[0-9]+\\.[0-9]+%|[0-9]+ ms").matcher(md);
        int count = 0;
        while (number.find()) {
            assertThat(page).contains(number.group());
            count++;
        }
        assertThat(count).isGreaterThan(100);
    }

    @Test
    void should_label_each_strategy_in_each_chart_with_its_name_and_what_it_runs() {
        assertThat(charts).allSatisfy(chart -> assertThat(chart).containsSubsequence(
                ">baseline</text>", ">every request to gpt-4 · no cache · free-form answers</text>",
                ">+ exact cache</text>", ">every request to gpt-3.5-turbo · exact cache · free-form answers</text>",
                ">+ router</text>",
                ">router: local model if confident ≥ 0.95, gpt-4 if complexity ≥ 0.50, else gpt-3.5-turbo</text>",
                ">no cache · short answers</text>"));
    }

    private static List<String> ticks(String chart) {
        List<String> ticks = new ArrayList<>();
        Matcher tick = Pattern.compile("<text class=\"tick\"[^>]*>([^<]*)</text>").matcher(chart);
        while (tick.find()) {
            ticks.add(tick.group(1));
        }
        return ticks;
    }
}
