package io.bulwark.models.train;

import io.bulwark.resilience.failure.RequestRejected;

/**
 * One hyperparameter of an {@link Algorithm}: an integer or a real number within a closed range, with the
 * value it takes when a training request leaves it out.
 *
 * @param integral     true for a whole number (passed to the trainer as an {@code Integer}), false for a
 *                     {@code Double}
 * @param defaultValue the value when none is given
 */
public record Hyperparameter(String name, boolean integral, Number defaultValue, double min, double max) {

    /** Returns a whole-number hyperparameter in {@code [min, max]}. */
    public static Hyperparameter integer(String name, int defaultValue, int min, int max) {
        return new Hyperparameter(name, true, defaultValue, min, max);
    }

    /** Returns a real-number hyperparameter in {@code [min, max]}. */
    public static Hyperparameter real(String name, double defaultValue, double min, double max) {
        return new Hyperparameter(name, false, defaultValue, min, max);
    }

    public Hyperparameter {
        if (!(min <= max && defaultValue.doubleValue() >= min && defaultValue.doubleValue() <= max)) {
            throw new IllegalArgumentException(name + ": the default " + defaultValue + " must be in [" + min + ", "
                    + max + "]");
        }
    }

    /** Returns {@code value} as this hyperparameter's type, or throws the 400 naming {@code hyperparameters.<name>}. */
    Object check(Object value) {
        String field = "hyperparameters." + name;
        if (!(value instanceof Number n)) {
            throw new RequestRejected("invalid_type", field, "'" + name + "' must be a number");
        }
        double d = n.doubleValue();
        if (integral && d != Math.rint(d)) {
            throw new RequestRejected("invalid_type", field, "'" + name + "' must be a whole number, not " + d);
        }
        if (!(d >= min && d <= max)) {
            throw new RequestRejected("out_of_range", field, "'" + name + "' must be between "
                    + (integral ? Long.toString((long) min) : Double.toString(min)) + " and "
                    + (integral ? Long.toString((long) max) : Double.toString(max)) + ", not " + n);
        }
        return integral ? (Object) (int) d : (Object) d;
    }
}
