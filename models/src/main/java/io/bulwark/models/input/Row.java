package io.bulwark.models.input;

import io.bulwark.resilience.failure.RequestRejected;

import java.util.Map;

/**
 * One row of input, numbered from 0: its fields (which {@link io.bulwark.models.ModelType#input} checks), or the reason it could not
 * be read as a row at all (a JSON element that is not an object, a CSV line with the wrong number of values).
 */
public record Row(int index, Map<String, ?> values, RequestRejected error) {
}
