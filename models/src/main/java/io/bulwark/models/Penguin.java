package io.bulwark.models;

import java.util.Objects;

/**
 * The measurements of one penguin, validated: what the classifier takes.
 *
 * @param sex {@link Sex#UNKNOWN} when not given
 */
public record Penguin(Island island, double billLengthMm, double billDepthMm, double flipperLengthMm,
                      double bodyMassG, Sex sex) {

    public Penguin {
        Objects.requireNonNull(island, "island");
        Objects.requireNonNull(sex, "sex");
    }

    /** Returns a canonical text of the features: equal inputs give equal keys (the exact cache's key). */
    public String canonical() {
        return island.wire() + '|' + billLengthMm + '|' + billDepthMm + '|' + flipperLengthMm + '|' + bodyMassG
                + '|' + sex.wire();
    }
}
