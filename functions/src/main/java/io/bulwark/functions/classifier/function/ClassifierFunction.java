package io.bulwark.functions.classifier.function;

import io.bulwark.functions.classifier.InvalidInput;
import io.bulwark.functions.classifier.Penguin;
import io.bulwark.functions.classifier.registry.ModelRegistry;
import io.bulwark.functions.http.ApiException;
import io.bulwark.functions.http.JsonFunction;
import io.bulwark.functions.predictionlog.PredictionRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What every classifier function shares: a request id, one structured log line per request (function,
 * status, latency, error code), and the mapping of {@link InvalidInput} to the contract's 4xx.
 */
abstract class ClassifierFunction extends JsonFunction {

    private static final Logger log = LoggerFactory.getLogger("io.bulwark.functions.requests");
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final String name;

    ClassifierFunction(String name, JsonMapper json) {
        super(json);
        this.name = name;
    }

    /** A request being served: its id and when it started. */
    record Call(String requestId, long startNanos) {
        double elapsedMs() {
            return (System.nanoTime() - startNanos) / 1e6;
        }

        long elapsedMillis() {
            return (System.nanoTime() - startNanos) / 1_000_000;
        }
    }

    @Override
    protected final Object handle(Message<byte[]> request) {
        Call call = new Call(requestId(request), System.nanoTime());
        try {
            Object body = serve(request, call);
            log.info("function={} status=200 latency_ms={} request_id={}", name, ms(call), call.requestId());
            return body;
        } catch (InvalidInput e) {
            log.info("function={} status={} latency_ms={} request_id={} error={} field={}", name, e.status(), ms(call),
                    call.requestId(), e.code(), e.field());
            throw new ApiException(e.status(), e.code(), e.getMessage(), e.field());
        } catch (ApiException e) {
            log.info("function={} status={} latency_ms={} request_id={} error={} field={}", name, e.status(), ms(call),
                    call.requestId(), e.body().error(), e.body().field());
            throw e;
        } catch (ModelRegistry.LoadFailure e) {
            // Only the promoted version's failure gets here (another version falls back to it): nothing to answer
            // with until someone promotes, rolls back or trains.
            log.error("function={} status=503 latency_ms={} request_id={} error=model_unavailable: {}", name,
                    ms(call), call.requestId(), e.getMessage());
            throw new ApiException(503, "model_unavailable", e.getMessage()
                    + "; promote another version, roll back, or train a new one", "X-Model-Version");
        } catch (RuntimeException e) {
            log.error("function={} status=500 latency_ms={} request_id={} error=internal", name, ms(call),
                    call.requestId(), e);
            throw e;
        }
    }

    /** Answers a request. */
    abstract Object serve(Message<byte[]> request, Call call);

    private static String ms(Call call) {
        return String.format(java.util.Locale.ROOT, "%.3f", call.elapsedMs());
    }

    private static String requestId(Message<byte[]> request) {
        Object given = header(request, "X-Request-Id");
        if (given != null && REQUEST_ID.matcher(given.toString()).matches()) {
            return given.toString();
        }
        return UUID.randomUUID().toString();
    }

    /** Returns the penguin as compact JSON, for the prediction log. */
    static String inputJson(Penguin p) {
        return "{\"island\":\"" + p.island().wire() + "\",\"bill_length_mm\":" + p.billLengthMm()
                + ",\"bill_depth_mm\":" + p.billDepthMm() + ",\"flipper_length_mm\":" + p.flipperLengthMm()
                + ",\"body_mass_g\":" + p.bodyMassG() + ",\"sex\":\"" + p.sex().wire() + "\"}";
    }

    /** Returns the first 128 bits of the SHA-256 of the penguin's canonical text, in hex. */
    static String inputHash(Penguin p) {
        return PredictionRecord.hashOf(p.canonical());
    }
}
