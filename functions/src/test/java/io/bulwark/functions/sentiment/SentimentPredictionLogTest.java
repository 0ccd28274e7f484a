package io.bulwark.functions.sentiment;

import io.bulwark.sentiment.SentimentChain;
import io.bulwark.sentiment.local.LocalSentimentModel;
import io.bulwark.functions.http.FunctionRequest;
import io.bulwark.sentiment.SentimentAnswer;
import io.bulwark.sentiment.SentimentLabel;
import java.util.Map;
import io.bulwark.models.predictionlog.PredictionLog;
import io.bulwark.models.predictionlog.PredictionRecord;
import io.bulwark.sentiment.local.LocalSentimentModel;
import io.bulwark.resilience.BoundaryMetrics;
import io.bulwark.resilience.SimulatedTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Every sentiment answer goes to the prediction log; a log that fails costs a warning, not the answer. */
class SentimentPredictionLogTest {

    static final LocalSentimentModel LOCAL = LocalSentimentModel.trainDefault();
    final SimulatedTime time = new SimulatedTime();
    final JsonMapper json = JsonMapper.builder().build();
    final SentimentChain chain = SentimentChain.builder().localModel(LOCAL).clock(time.clock()).ticker(time)
            .sleeper(time).build();

    @AfterEach
    void close() {
        chain.close();
    }

    static FunctionRequest request(String text, String requestId) {
        return new FunctionRequest("POST", "/sentiment", Map.of("Content-Type", "application/json"),
                ("{\"text\": \"" + text + "\"}").getBytes(StandardCharsets.UTF_8), requestId);
    }

    @Test
    void should_log_the_answer_with_its_model_and_a_hash_and_redact_the_text_when_asked() {
        List<PredictionRecord> kept = new ArrayList<>();
        PredictionLog log = new PredictionLog() {
            @Override
            public void append(PredictionRecord record) {
                kept.add(record);
            }

            @Override
            public void close() {
            }
        };

        new SentimentFunction(json, chain, 1000, log, false, time.clock()).apply(request("I am happy", "r-1"));
        new SentimentFunction(json, chain, 1000, log, true, time.clock()).apply(request("I am happy", "r-2"));

        assertThat(kept).hasSize(2);
        assertThat(kept.get(0).requestId()).isEqualTo("r-1");
        assertThat(kept.get(0).function()).isEqualTo("sentiment");
        assertThat(kept.get(0).modelVersion()).isEqualTo(LocalSentimentModel.MODEL_ID);
        assertThat(kept.get(0).output()).isEqualTo("positive");
        assertThat(kept.get(0).input()).isEqualTo("{\"text\":\"I am happy\"}");
        assertThat(kept.get(1).input()).isNull();
        assertThat(kept.get(1).inputHash()).hasSize(32).isEqualTo(kept.get(0).inputHash());
    }

    @Test
    void should_answer_even_when_the_log_cannot_be_written() {
        PredictionLog broken = new PredictionLog() {
            @Override
            public void append(PredictionRecord record) {
                throw new java.io.UncheckedIOException(new java.io.IOException("No space left on device"));
            }

            @Override
            public void close() {
            }
        };

        SentimentAnswer answer = new SentimentFunction(json, chain, 1000, broken, false, time.clock())
                .apply(request("I am happy", "r-3"));

        assertThat(answer.label()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(answer.requestId()).isEqualTo("r-3");
    }
}
