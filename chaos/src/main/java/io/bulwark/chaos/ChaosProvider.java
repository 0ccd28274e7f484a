package io.bulwark.chaos;

import io.bulwark.resilience.Deadline;
import io.bulwark.resilience.Sleeper;
import io.bulwark.resilience.failure.TimedOut;
import io.bulwark.sentiment.Sentiment;
import io.bulwark.sentiment.SentimentLabel;
import io.bulwark.sentiment.SentimentProvider;
import io.bulwark.sentiment.openai.OpenAiSentimentProvider;
import io.bulwark.sentiment.openai.Transport;

import java.io.IOException;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The in-process injection point: a decorator around any {@link SentimentProvider} that, for each call, asks
 * a {@link FaultInjector} what goes wrong. An ordinary answer, late or not, comes from the delegate. A fault
 * is not typed here: the real {@link OpenAiSentimentProvider} gets the {@link HttpAnswer} the
 * {@link FakeLlmServer} would send (a 429 with its {@code Retry-After}, a 5xx, a broken connection, a body
 * that breaks the output contract) through an in-process {@link Transport}, and its client, output parser
 * and failure mapping type it as they would in production. Latency is waited out with the injected
 * {@link Sleeper}; a call that would outlast its deadline waits what is left and times out, as the boundary's
 * time limit would make it. With a simulated sleeper and clock a run takes no real time.
 */
public final class ChaosProvider implements SentimentProvider {

    /**
     * The label in the body of a fault: it never reaches the caller (the body is an error, cut or broken), so
     * the delegate is not asked for it.
     */
    private static final SentimentLabel UNSEEN = SentimentLabel.POSITIVE;

    private final SentimentProvider delegate;
    private final FaultInjector injector;
    private final Sleeper sleeper;
    private final Clock clock;

    /** {@code clock} dates the HTTP-date form of {@code Retry-After} and reads it back. */
    public ChaosProvider(SentimentProvider delegate, FaultInjector injector, Sleeper sleeper, Clock clock) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.injector = Objects.requireNonNull(injector, "injector");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String model() {
        return delegate.model();
    }

    @Override
    public Sentiment classify(String text, Deadline deadline) {
        Injection injection = injector.next();
        if (injection.answers()) {
            return answer(text, injection.delay(), deadline);
        }
        Fault fault = injection.fault();
        String content = fault instanceof Fault.Malformed m
                ? Completions.content(m.content(), UNSEEN)
                : Completions.content(UNSEEN, LabelSource.CONFIDENCE);
        HttpAnswer sent = HttpAnswer.of(fault, Completions.chat(model(), content, Completions.usage(text)), clock);
        return OpenAiSentimentProvider.over(request -> deliver(sent), model(), clock).classify(text, deadline);
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

    /** Hands {@code sent} to the client as the JDK's HTTP client would. */
    private static Transport.Answer deliver(HttpAnswer sent) throws IOException {
        return switch (sent) {
            case HttpAnswer.Response r -> new Transport.Answer(r.status(), r.headers().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))), r.body());
            case HttpAnswer.Broken b -> throw switch (b) {
                case RESET -> new SocketException("Connection reset");
                case EMPTY -> new IOException("HTTP/1.1 header parser received no bytes");
            };
        };
    }
}
