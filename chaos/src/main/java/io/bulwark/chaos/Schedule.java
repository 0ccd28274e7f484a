package io.bulwark.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * When a rule of a {@link FaultPlan} is active, as a function of the run's position: 0 at the first
 * request, approaching 1 at the last. Positions rather than clock time make a plan mean the same at any
 * run length and in simulated or real time.
 */
public sealed interface Schedule {

    /** Returns true if the rule applies at {@code position} (0 ≤ position < 1). */
    boolean active(double position);

    /** Returns the stretches {@code [from, to)} where the rule applies, for shading charts; empty for always. */
    List<double[]> windows();

    /** Returns e.g. {@code window 30%..60%}. */
    String describe();

    /** A steady rate for the whole run. */
    static Schedule always() {
        return new Always();
    }

    /** Active within {@code [from, to)}: a brown-out, or a total outage followed by recovery. */
    static Schedule window(double from, double to) {
        return new Window(from, to);
    }

    /** Active for {@code length} at the start of every {@code period}, starting at {@code offset}. */
    static Schedule bursts(double offset, double period, double length) {
        return new Bursts(offset, period, length);
    }

    /** Always active. */
    record Always() implements Schedule {
        @Override
        public boolean active(double position) {
            return true;
        }

        @Override
        public List<double[]> windows() {
            return List.of();
        }

        @Override
        public String describe() {
            return "steady";
        }
    }

    /** One window. */
    record Window(double from, double to) implements Schedule {
        public Window {
            if (!(from >= 0 && from < to && to <= 1)) {
                throw new IllegalArgumentException("need 0 <= from < to <= 1: " + from + ", " + to);
            }
        }

        @Override
        public boolean active(double position) {
            return position >= from && position < to;
        }

        @Override
        public List<double[]> windows() {
            return List.of(new double[]{from, to});
        }

        @Override
        public String describe() {
            return "window " + percent(from) + ".." + percent(to);
        }
    }

    /** Repeating bursts. */
    record Bursts(double offset, double period, double length) implements Schedule {
        public Bursts {
            if (!(offset >= 0 && offset < 1)) {
                throw new IllegalArgumentException("offset must be within [0, 1): " + offset);
            }
            if (!(period > 0 && period <= 1)) {
                throw new IllegalArgumentException("period must be within (0, 1]: " + period);
            }
            if (!(length > 0 && length < period)) {
                throw new IllegalArgumentException("length must be within (0, period): " + length);
            }
        }

        @Override
        public boolean active(double position) {
            if (position < offset) {
                return false;
            }
            return (position - offset) % period < length;
        }

        @Override
        public List<double[]> windows() {
            List<double[]> w = new ArrayList<>();
            for (double start = offset; start < 1; start += period) {
                w.add(new double[]{start, Math.min(1, start + length)});
            }
            return w;
        }

        @Override
        public String describe() {
            return "bursts of " + percent(length) + " every " + percent(period) + " from " + percent(offset);
        }
    }

    private static String percent(double fraction) {
        return Math.round(fraction * 1000) / 10.0 + "%";
    }
}
