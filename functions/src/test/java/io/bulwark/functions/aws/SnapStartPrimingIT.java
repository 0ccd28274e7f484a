package io.bulwark.functions.aws;

import io.bulwark.functions.TestEndpoints;
import io.bulwark.functions.http.FunctionDispatcher;
import io.bulwark.functions.http.FunctionEndpoints;
import io.bulwark.functions.http.FunctionResponse;
import io.bulwark.resilience.BoundaryMetrics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SnapStart hook primes every function (each answers its own 2xx or 4xx to an empty body) and the success path of
 * {@code /sentiment}, {@code /predict} and {@code /digits} through the Lambda entry function, without calling an LLM.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class SnapStartPrimingIT {

    @Autowired
    SnapStartPriming priming;
    @Autowired
    JsonMapper json;
    @Autowired
    BoundaryMetrics metrics;
    @Autowired
    FunctionDispatcher dispatcher;

    @Test
    void should_send_every_function_one_request_none_failing() {
        List<FunctionResponse> answers = priming.prime();

        assertThat(answers).hasSize(TestEndpoints.all().size() + SnapStartPriming.SAMPLES.size());
        assertThat(answers).allSatisfy(a -> {
            assertThat(a.status()).isLessThan(500);
            assertThat(json.readTree(a.body()).path("error").asString(""))
                    .isNotIn("not_found", "method_not_allowed");
        });
    }

    @Test
    void should_run_the_whole_sentiment_chain_once_on_the_local_model() {
        long before = metrics.requests();

        List<FunctionResponse> answers = priming.prime();

        // The samples come last, in endpoint order.
        FunctionResponse sentiment = sample(answers, "sentiment");
        assertThat(sentiment.status()).isEqualTo(200);
        var body = json.readTree(sentiment.body());
        assertThat(body.path("sentiment").asString()).isEqualTo("positive");
        assertThat(body.path("tier").asString()).as("no LLM is called while priming").isIn("local", "cache");
        assertThat(body.path("request_id").asString()).isEqualTo(SnapStartPriming.REQUEST_ID);
        FunctionResponse predict = sample(answers, "predict");
        assertThat(predict.status()).isEqualTo(200);
        assertThat(json.readTree(predict.body()).path("prediction").asString()).isEqualTo("Gentoo");
        // The digit recogniser loads on first use: the sample loads it (the snapshot holds it loaded) and is answered.
        FunctionResponse digits = sample(answers, "digits");
        assertThat(digits.status()).as(new String(digits.body())).isEqualTo(200);
        assertThat(json.readTree(digits.body()).path("model_version").asString()).isEqualTo("v1");
        // The sample went through the error boundary once (a second priming may find it in the exact cache).
        assertThat(metrics.requests()).isBetween(before, before + 1);
    }

    /** The answer to a function's sample: the samples follow the empty-bodied requests, in endpoint order. */
    private FunctionResponse sample(List<FunctionResponse> answers, String function) {
        List<String> sampled = dispatcher.endpoints().all().stream()
                .filter(e -> SnapStartPriming.SAMPLES.containsKey(e.name()) && "POST".equals(e.method()))
                .map(FunctionEndpoints.Endpoint::name).toList();
        assertThat(sampled).contains(function);
        return answers.get(answers.size() - sampled.size() + sampled.indexOf(function));
    }
}
