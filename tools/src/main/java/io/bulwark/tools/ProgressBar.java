package io.bulwark.tools;

import io.bulwark.resilience.Ticker;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * The command lines' progress bar: one line on a terminal stream, redrawn in place each time another percent of a
 * task is done, ended when the task is. A new task (another chaos scenario, another simulated strategy) starts a
 * new line and a new clock.
 */
public final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final Ticker ticker;
    private String task;
    private long start;
    private int shown = -1;

    /** A bar on {@code out} timed by the system's clock. */
    public ProgressBar(PrintWriter out) {
        this(out, Ticker.system());
    }

    ProgressBar(PrintWriter out, Ticker ticker) {
        this.out = Objects.requireNonNull(out, "out");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    /** Shows that {@code done} of the {@code total} requests of {@code task} are done. */
    public void update(String task, int done, int total) {
        if (!task.equals(this.task)) {
            this.task = task;
            start = ticker.read();
            shown = -1;
        }
        int percent = (int) ((long) done * 100 / total);
        if (percent == shown && done != total) {
            return;
        }
        shown = percent;
        int filled = percent * WIDTH / 100;
        double seconds = (ticker.read() - start) / 1e9;
        // The task last, so that bars of tasks with names of any length line up.
        out.printf(Locale.ROOT, "\r[%s%s] %3d%% %d/%d requests, %.1f s  %s", "#".repeat(filled),
                ".".repeat(WIDTH - filled), percent, done, total, seconds, task);
        if (done == total) {
            out.println();
        }
        out.flush();
    }

    /** Returns this bar as the progress of one task of {@code total} requests, told the number done. */
    public IntConsumer task(String task, int total) {
        return done -> update(task, done, total);
    }
}
