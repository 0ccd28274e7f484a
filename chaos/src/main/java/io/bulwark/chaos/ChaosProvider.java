package io.bulwark.chaos;

import io.bulwark.resilience.Deadline;
import io.bulwark.resilience.Sleeper;
import io.bulwark.resilience.failure.MalformedResponse;
import io.bulwark.resilience.failure.RateLimited;
import io.bulwark.resilience.failure.TimedOut;
import io.bulwark.resilience.failure.Unavailable;
import io.bulwark.sentiment.Sentiment;
import io.bulwark.sentiment.SentimentLabel;
import io.bulwark.sentiment.SentimentOutputParser;
import io.bulwark.sentiment.SentimentProvider;

import java.time.Duration;
import java.util.Objects;

/**
 * The in-process injection point: a decorator around any {@link SentimentProvider} that, for each call,
 * asks a {@link FaultInjector} what goes wrong and throws what the real OpenAI-compatible client maps that
 * fault to (429 → rate limited with the advertised wait, 5xx and broken connections → unavailable, broken
 * content → malformed response through the real output parser). Latency is waited out with the injected
 * {@link Sleeper}; a call that would outlast its deadline waits what is left and times out, as the
 * boundary's time limit would make it. With a simulated sleeper a run takes no real time.
 */
public final class ChaosProvider implements SentimentProvider {

    private final SentimentProvider delegate;
    private final FaultInjector injector;
    private final Sleeper sleeper;

    public ChaosProvider(SentimentProvider delegate, FaultInjector injector, Sleeper sleeper) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.injector = Objects.requireNonNull(injector, "injector");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    @Override
    public String model() {
        return delegate.model();
    }

    @Override
    public Sentiment classify(String text, Deadline deadline) {
        Injection injection = injector.next();
        return switch (injection.fault()) {
            case null -> answer(text, injection.delay(), deadline);
            case Fault.Delay d -> answer(text, injection.delay(), deadline);
            case Fault.SlowDrip s -> answer(text, injection.delay(), deadline);
            case Fault.Hang h -> answer(text, injection.delay(), deadline);
            case Fault.RateLimit r -> throw new RateLimited("the provider answered HTTP 429 (chaos)", r.advertised());
            case Fault.ServerError e -> throw new Unavailable("the provider answered HTTP " + e.status() + " (chaos)");
            case Fault.ConnectionReset c -> throw new Unavailable("connection to the provider failed: reset (chaos)");
            case Fault.EmptyResponse e -> throw new Unavailable("connection to the provider failed: no answer (chaos)");
            case Fault.Malformed m -> SentimentOutputParser.parse(
                    Completions.content(m.content(), SentimentLabel.POSITIVE), Completions.usage(text));
            case Fault.PartialResponse p -> throw new MalformedResponse("the provider's response could not be read (chaos)");
            case Fault.ErrorObject e -> throw new MalformedResponse("the provider's response was not a chat completion (chaos)");
        };
    }

    private Sentiment answer(String text, Duration delay, Deadline deadline) {
        Duration left = deadline.remaining();
        boolean late = delay.compareTo(left) >= 0;
        try {
            sleeper.sleep(late ? left : delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimedOut("interrupted while the provider was slow (chaos)", e);
        }
        if (late) {
            throw new TimedOut(delegate.model() + " did not answer within " + left.toMillis() + " ms (chaos)");
        }
        return delegate.classify(text, deadline);
    }
}
