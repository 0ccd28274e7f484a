package io.bulwark.models.tune;

import java.util.List;
import java.util.Random;

/**
 * The values one hyperparameter may take in a search: a list of choices, or a range (sampled uniformly, or
 * log-uniformly for rates and weights spanning decades; cut into {@code steps} points for a grid).
 */
public sealed interface Dimension {

    /** Returns the grid's values, in order. */
    List<Object> grid();

    /** Returns a value drawn with {@code random}. */
    Object sample(Random random);

    /** Explicit values. */
    record Choice(List<Object> values) implements Dimension {
        public Choice {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("a choice needs at least one value");
            }
        }

        @Override
        public List<Object> grid() {
            return values;
        }

        @Override
        public Object sample(Random random) {
            return values.get(random.nextInt(values.size()));
        }
    }

    /**
     * A closed range.
     *
     * @param integral whole numbers only (the hyperparameter's type)
     * @param log      sample the logarithm uniformly (min must be above 0)
     * @param steps    points of the grid, ends included
     */
    record Range(double min, double max, boolean integral, boolean log, int steps) implements Dimension {
        public Range {
            if (!(min <= max) || log && min <= 0 || steps < 1) {
                throw new IllegalArgumentException("a range needs min <= max (min > 0 on a log scale) and steps >= 1");
            }
        }

        @Override
        public List<Object> grid() {
            java.util.LinkedHashSet<Object> points = new java.util.LinkedHashSet<>();
            for (int i = 0; i < steps; i++) {
                double t = steps == 1 ? 0 : (double) i / (steps - 1);
                points.add(value(log ? Math.exp(Math.log(min) + t * (Math.log(max) - Math.log(min))) : min + t * (max - min)));
            }
            return List.copyOf(points);
        }

        @Override
        public Object sample(Random random) {
            double u = random.nextDouble();
            return value(log ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min));
        }

        private Object value(double d) {
            return integral ? (Object) (int) Math.round(d) : (Object) (Math.round(d * 1e6) / 1e6);
        }
    }
}
