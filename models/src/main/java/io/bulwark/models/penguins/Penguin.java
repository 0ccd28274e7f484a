package io.bulwark.models.penguins;

import io.bulwark.models.ModelInput;

import java.util.Objects;

/**
 * The measurements of one penguin, validated: what the penguin classifier takes.
 *
 * @param sex {@link Sex#UNKNOWN} when not given
 */
public record Penguin(Island island, double billLengthMm, double billDepthMm, double flipperLengthMm,
                      double bodyMassG, Sex sex) implements ModelInput {

    public Penguin {
        Objects.requireNonNull(island, "island");
        Objects.requireNonNull(sex, "sex");
    }

    /** Returns a canonical text of the features: equal inputs give equal keys (the exact cache's key). */
    @Override
    public String canonical() {
        return island.wire() + '|' + billLengthMm + '|' + billDepthMm + '|' + flipperLengthMm + '|' + bodyMassG
                + '|' + sex.wire();
    }

    /** Returns the penguin as compact JSON, in the request's field names. */
    @Override
    public String json() {
        return "{\"island\":\"" + island.wire() + "\",\"bill_length_mm\":" + billLengthMm
                + ",\"bill_depth_mm\":" + billDepthMm + ",\"flipper_length_mm\":" + flipperLengthMm
                + ",\"body_mass_g\":" + bodyMassG + ",\"sex\":\"" + sex.wire() + "\"}";
    }
}
