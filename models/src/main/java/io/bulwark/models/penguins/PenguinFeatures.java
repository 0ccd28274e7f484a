package io.bulwark.models.penguins;

import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;

import java.util.List;

/**
 * Turns a penguin into the model's features: the four measurements as numbers (standardised inside the linear
 * model, see {@link PenguinAlgorithms}) and island and sex one-hot. An unknown sex sets neither sex feature.
 */
final class PenguinFeatures {

    static final String BILL_LENGTH = "bill_length_mm";
    static final String BILL_DEPTH = "bill_depth_mm";
    static final String FLIPPER_LENGTH = "flipper_length_mm";
    static final String BODY_MASS = "body_mass_g";
    /** The numeric features, which the linear model standardises. */
    static final List<String> NUMERIC = List.of(BILL_LENGTH, BILL_DEPTH, FLIPPER_LENGTH, BODY_MASS);

    private PenguinFeatures() {
    }

    /** Returns the example of {@code p} with {@code label} (the species, or the unknown label to predict). */
    static Example<Label> example(Penguin p, Label label) {
        boolean sexKnown = p.sex() != Sex.UNKNOWN;
        String[] names = new String[sexKnown ? 6 : 5];
        double[] values = new double[names.length];
        names[0] = BILL_LENGTH;
        values[0] = p.billLengthMm();
        names[1] = BILL_DEPTH;
        values[1] = p.billDepthMm();
        names[2] = FLIPPER_LENGTH;
        values[2] = p.flipperLengthMm();
        names[3] = BODY_MASS;
        values[3] = p.bodyMassG();
        names[4] = "island=" + p.island().wire();
        values[4] = 1.0;
        if (sexKnown) {
            names[5] = "sex=" + p.sex().wire();
            values[5] = 1.0;
        }
        return new ArrayExample<>(label, names, values);
    }
}
