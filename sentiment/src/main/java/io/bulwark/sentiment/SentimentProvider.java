package io.bulwark.sentiment;

import io.bulwark.resilience.Deadline;
import io.bulwark.resilience.failure.BoundaryFailure;

/**
 * Something that judges the sentiment of a text: an LLM, a local model, a fake. Implementations
 * report every failure as a {@link BoundaryFailure} and must not run past the deadline they are given
 * by more than their own cancellation latency.
 */
public interface SentimentProvider {

    /** Returns the model identifier reported as {@code model_used}, e.g. {@code gpt-4o-mini}. */
    String model();

    /**
     * Judges {@code text}.
     *
     * @throws BoundaryFailure when no valid judgement could be obtained
     */
    Sentiment classify(String text, Deadline deadline);

    /**
     * Returns the most output tokens one answer may use: with the prompt's tokens, the largest cost a call can
     * have, which the daily budget holds before the call.
     */
    default int maxOutputTokens() {
        return io.bulwark.sentiment.openai.OpenAiSentimentProvider.DEFAULT_MAX_TOKENS;
    }

    /**
     * Returns true when {@link #classify} gives up by itself once the deadline it is given expires (its connect and
     * read time-outs come from the deadline) and reports that as a {@code TimedOut}: then the chain's time limit runs
     * the call on the request's own thread instead of handing it to a virtual thread and waiting
     * ({@code TimeLimit.decorateOnCallingThread}). False by default: such a call is bounded from outside.
     */
    default boolean honoursDeadline() {
        return false;
    }
}
