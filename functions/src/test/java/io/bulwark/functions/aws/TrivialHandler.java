package io.bulwark.functions.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The calibration point of the cold-start measurement: a Lambda handler with no framework that answers
 * a constant 200, run under the same runtime client on the same machine (see {@link ColdStart}).
 */
public final class TrivialHandler implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        output.write("{\"statusCode\":200,\"body\":\"ok\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
