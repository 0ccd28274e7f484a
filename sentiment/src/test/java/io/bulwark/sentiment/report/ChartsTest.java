package io.bulwark.sentiment.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChartsTest {

    @Test
    void should_open_a_chart_that_scales_to_its_container_rather_than_a_fixed_size() {
        String svg = Charts.svg(800, 210, "latency <over> time");

        assertThat(svg).contains("viewBox=\"0 0 800 210\"", "aria-label=\"latency &lt;over&gt; time\"")
                .doesNotContain(" width=", " height=");
        assertThat(Charts.CSS).contains(".chart svg{display:block;width:100%;height:auto;");
    }

    @Test
    void should_put_title_and_legend_in_html_above_the_svg_one_item_per_key() {
        String figure = Charts.figure("answers & more", List.of(new Charts.Key("cache 50", "#56B4E9", Charts.Mark.BOX),
                new Charts.Key("deadline", "#c62828", Charts.Mark.DASHED)), "<svg></svg>");

        assertThat(figure).startsWith("<figure class=\"chart\"><figcaption>answers &amp; more<ul class=\"legend\">")
                .contains("<li><span class=\"mark\" style=\"background:#56B4E9\"></span>cache 50</li>",
                        "<li><span class=\"mark dashed\" style=\"border-color:#c62828\"></span>deadline</li>")
                .containsSubsequence("</figcaption>", "<svg></svg>", "</figure>");
    }
}
