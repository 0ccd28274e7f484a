package io.bulwark.tools;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressBarTest {

    private final StringWriter text = new StringWriter();
    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    private final ProgressBar bar = new ProgressBar(new PrintWriter(text), nanos::get);

    @Test
    void should_redraw_only_when_another_percent_is_done_and_end_the_line_with_the_task() {
        IntConsumer task = bar.task("steady", 200);

        task.accept(1);
        task.accept(2);
        task.accept(3);
        nanos.addAndGet(1_500_000_000L);
        task.accept(200);

        assertThat(text.toString()).isEqualTo(
                "\r[..............................]   0% 1/200 requests, 0.0 s  steady"
                + "\r[..............................]   1% 2/200 requests, 0.0 s  steady"
                + "\r[##############################] 100% 200/200 requests, 1.5 s  steady"
                + System.lineSeparator());
    }

    @Test
    void should_start_the_clock_again_for_another_task() {
        bar.update("1/2 baseline", 10, 10);
        nanos.addAndGet(4_000_000_000L);
        bar.update("2/2 all", 5, 10);
        nanos.addAndGet(250_000_000L);
        bar.update("2/2 all", 10, 10);

        assertThat(text.toString()).contains("100% 10/10 requests, 0.0 s  1/2 baseline")
                .contains("[###############...............]  50% 5/10 requests, 0.0 s  2/2 all")
                .endsWith("[##############################] 100% 10/10 requests, 0.3 s  2/2 all"
                        + System.lineSeparator());
    }
}
