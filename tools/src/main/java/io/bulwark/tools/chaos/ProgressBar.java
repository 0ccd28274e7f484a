package io.bulwark.tools.chaos;

import java.io.PrintStream;
import java.util.function.IntConsumer;

/**
 * A one-line progress bar, redrawn in place on a terminal stream each time another percent is done.
 */
final class ProgressBar implements IntConsumer {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final int total;
    private final long start = System.nanoTime();
    private int shown = -1;

    ProgressBar(PrintStream out, String label, int total) {
        this.out = out;
        this.label = label;
        this.total = total;
    }

    @Override
    public void accept(int done) {
        int percent = (int) ((long) done * 100 / total);
        if (percent == shown && done != total) {
            return;
        }
        shown = percent;
        int filled = percent * WIDTH / 100;
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(java.util.Locale.ROOT, "\r%-18s [%s%s] %3d%% %d/%d requests, %.1f s", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), percent, done, total, seconds);
        if (done == total) {
            out.println();
        }
        out.flush();
    }
}
