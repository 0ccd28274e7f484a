package io.bulwark.models.toy;

import io.bulwark.models.ModelInput;

/** A point of the plane: the toy model type's input. */
record Point(double x, double y) implements ModelInput {

    @Override
    public String canonical() {
        return x + "|" + y;
    }

    @Override
    public String json() {
        return "{\"x\":" + x + ",\"y\":" + y + "}";
    }
}
