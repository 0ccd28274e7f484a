package io.bulwark.functions.aws;

import io.bulwark.functions.TestEndpoints;
import io.bulwark.functions.http.FunctionResponse;
import io.bulwark.resilience.BoundaryMetrics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SnapStart hook primes every function without doing real work: each answers its own 2xx or 4xx.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class SnapStartPrimingIT {

    @Autowired
    SnapStartPriming priming;
    @Autowired
    JsonMapper json;
    @Autowired
    BoundaryMetrics metrics;

    @Test
    void should_send_every_function_one_request_none_failing() {
        List<FunctionResponse> answers = priming.prime();

        assertThat(answers).hasSize(TestEndpoints.all().size());
        assertThat(answers).allSatisfy(a -> {
            assertThat(a.status()).isLessThan(500);
            assertThat(json.readTree(a.body()).path("error").asString(""))
                    .isNotIn("not_found", "method_not_allowed");
        });
    }

    @Test
    void should_not_run_the_error_boundary_while_priming() {
        long before = metrics.requests();

        priming.prime();

        // Nothing reached an LLM, the cache or the ledger: the boundary counted no request.
        assertThat(metrics.requests()).isEqualTo(before);
    }
}
