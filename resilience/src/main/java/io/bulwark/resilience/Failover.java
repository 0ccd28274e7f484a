package io.bulwark.resilience;

import io.bulwark.resilience.failure.AuthFailed;
import io.bulwark.resilience.failure.BoundaryFailure;
import io.bulwark.resilience.failure.BudgetExceeded;
import io.bulwark.resilience.failure.CircuitOpen;
import io.bulwark.resilience.failure.FailureType;
import io.bulwark.resilience.failure.InvalidRequest;
import io.bulwark.resilience.failure.MalformedResponse;
import io.bulwark.resilience.failure.RateLimited;
import io.bulwark.resilience.failure.Throttled;
import io.bulwark.resilience.failure.TimedOut;
import io.bulwark.resilience.failure.Unavailable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * One tier's ordered choices of (provider, model), as one route: each request goes to one choice, and on a failure
 * at once to the next choice of the same tier, before the boundary's fallbacks see anything. What moves on:
 * <ul>
 *   <li>a 429 ({@link RateLimited}): the choice cools down for its {@code Retry-After} (or
 *       {@link Builder#defaultCooldown(Duration)} without one) and the next choice is asked at once; a cooling choice
 *       is skipped without a call. A choice is cooled only while another choice of the tier is healthy and not
 *       cooling (LiteLLM likewise never cools the only deployment of a model group): a tier of one choice, or whose
 *       other choices are down, passes the 429 on to the boundary's rate-limit fallback, as before;</li>
 *   <li>a malformed answer ({@link MalformedResponse}): re-asked once, on the next choice, else (when
 *       {@link Builder#reaskSameChoice(boolean)}) on the same one when the deadline still leaves
 *       {@link Builder#minimumCall(Duration)} after the reserve;</li>
 *   <li>a time-out, an outage, an open breaker, our own rate limit, a refused key or request: the next choice.</li>
 * </ul>
 * With a {@link SameChoiceRetry} ({@link Builder#sameChoiceRetry}), when no other choice is left (none healthy and
 * not cooling), a malformed answer and a 429 whose {@code Retry-After} the deadline cannot hold are asked again of the
 * same choice, up to its attempts, while the deadline leaves room and the choice's {@link RetryBudget} allows.
 * A spent budget ({@link BudgetExceeded}) stops at once. When no choice answers, the last failure goes on to the
 * boundary's fallbacks (rate limit, time-out, local model, template), which are unchanged; when every choice is
 * cooling, a {@link RateLimited} asking to wait for the soonest one to end.
 *
 * <p>The first choice of a request is drawn by weight among the choices that are neither cooling down nor
 * unhealthy (their breaker open); a choice of weight 0 is a backup, only asked after the others. The others follow
 * in the configured order. Each choice keeps its own counts: calls, answers, skips, failures by type.
 *
 * <p>With a {@link Hedge} ({@link Builder#hedge}, off by default), a request's first call that has not answered by
 * the tier's recent p90 latency gets a second call to the next healthy choice that is not cooling, within the
 * policy's share of requests; the first good answer wins ({@link #HEDGE} when the second call gave it), a failure of
 * one waits for the other, and the other call is cancelled (its thread interrupted, so its connection closes) and
 * handed to the abandoned-call listener, which charges it. When both fail, the tier goes on with its next choices;
 * a malformed answer in a hedged pair is not re-asked of the same choice.
 */
public final class Failover<Q, V> implements Route<Q, V> {

    /** The fallback of an answer that another choice of the same tier gave. */
    public static final String NEXT_PROVIDER = "next_provider";
    /**
     * The fallback of an answer that the same choice gave when asked again: after a malformed answer, or (with a
     * {@link SameChoiceRetry}) after a 429 it could not wait out.
     */
    public static final String REASK = "reask";
    /** How long a 429 without a {@code Retry-After} cools its choice when the tier has another. */
    public static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(5);
    /** The fallback of an answer that the hedged (second) call of a request gave, before the first call. */
    public static final String HEDGE = "hedge";
    /** The default weight of a choice. */
    public static final int DEFAULT_WEIGHT = 1;

    /**
     * One (provider, model) of a tier.
     *
     * @param id      the name reported as {@code model_used} and in metrics, e.g. {@code openai:gpt-4o-mini}
     * @param route   the call, decorated with its own breaker, limits and budget guard
     * @param weight  its share of first choices among the healthy ones; 0: a backup only
     * @param healthy false while the choice is known to refuse calls (its breaker is open)
     */
    public record Choice<Q, V>(String id, Route<Q, V> route, int weight, BooleanSupplier healthy) {
        public Choice {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(route, "route");
            Objects.requireNonNull(healthy, "healthy");
            if (weight < 0) {
                throw new IllegalArgumentException("the weight of " + id + " must not be negative: " + weight);
            }
        }

        /** A choice of the default weight that is always healthy. */
        public static <Q, V> Choice<Q, V> of(String id, Route<Q, V> route) {
            return new Choice<>(id, route, DEFAULT_WEIGHT, () -> true);
        }
    }

    /** The counts of one choice, as read by {@link #stats()}. */
    public record ChoiceStats(String id, Tier tier, long calls, long answers, long skipped,
                              Map<FailureType, Long> failures, Duration cooldown) {
    }

    /**
     * The hedges of a tier, as read by {@link #hedgeStats()}.
     *
     * @param won       hedged calls that gave the answer (the first call was cancelled)
     * @param lost      first calls that answered after a hedge was sent (the hedge was cancelled)
     * @param failed    hedged pairs where neither call answered
     * @param overShare requests past the p90 that were not hedged: the max share was reached
     */
    public record HedgeStats(Tier tier, long won, long lost, long failed, long overShare) {
    }

    private final Tier tier;
    private final List<Choice<Q, V>> choices;
    private final List<Counts> counts;
    private final Cooldowns cooldowns;
    private final Duration defaultCooldown;
    private final Duration minimumCall;
    private final Duration reserve;
    private final Random random;
    private final BoundaryListener listener;
    private final boolean reaskSame;
    private final String model;
    private final Hedge hedge;
    private final ExecutorService executor;
    private final BiConsumer<String, Q> abandoned;
    private final LatencyWindow latencies;
    private final LongConsumer setTime;
    private final SameChoiceRetry retry;
    private final Function<String, RetryBudget> budgets;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong hedges = new AtomicLong();
    private final LongAdder won = new LongAdder();
    private final LongAdder lost = new LongAdder();
    private final LongAdder bothFailed = new LongAdder();
    private final LongAdder overShare = new LongAdder();

    private Failover(Builder<Q, V> b) {
        this.tier = b.tier;
        this.choices = List.copyOf(b.choices);
        this.counts = choices.stream().map(c -> new Counts()).toList();
        this.cooldowns = b.cooldowns;
        this.defaultCooldown = b.defaultCooldown;
        this.minimumCall = b.minimumCall;
        this.reserve = b.reserve;
        this.random = b.random;
        this.listener = b.listener;
        this.reaskSame = b.reaskSame;
        this.model = choices.size() == 1 ? choices.getFirst().id()
                : choices.stream().map(Choice::id).collect(Collectors.joining("|"));
        this.hedge = b.hedge;
        this.executor = b.executor;
        this.abandoned = b.abandoned;
        this.setTime = b.setTime;
        this.retry = b.retry;
        this.budgets = b.budgets;
        this.latencies = hedge == null ? null : new LatencyWindow(hedge.window(), hedge.minSamples());
    }

    /** Returns a builder. */
    public static <Q, V> Builder<Q, V> builder() {
        return new Builder<>();
    }

    @Override
    public Tier tier() {
        return tier;
    }

    /** The only choice's id, or every choice's joined by {@code |}: the answer names the one that answered. */
    @Override
    public String model() {
        return model;
    }

    @Override
    public V call(Q request, Deadline deadline) {
        return answer(request, deadline).value();
    }

    @Override
    public Outcome<V> answer(Q request, Deadline deadline) {
        int[] order = order();
        boolean[] tried = new boolean[choices.size()];
        Optional<Duration> hedgeAfter = Optional.empty();
        if (hedge != null) {
            requests.incrementAndGet();
            hedgeAfter = latencies.percentile(Hedge.PERCENTILE);
        }
        // every failed call of this request, by choice; the one passed on is reported by the boundary, the others here
        List<BoundaryFailure> failures = new ArrayList<>(2);
        List<String> steps = new ArrayList<>(2);
        Duration soonest = null;
        boolean reasked = false;
        int calls = 0;
        for (int k = 0; k < order.length; k++) {
            int i = order[k];
            Choice<Q, V> choice = choices.get(i);
            Counts count = counts.get(i);
            if (tried[i]) {
                continue;
            }
            Duration cooling = cooldowns.remaining(choice.id());
            if (!cooling.isZero()) {
                count.skipped.increment();
                soonest = soonest == null || cooling.compareTo(soonest) < 0 ? cooling : soonest;
                continue;
            }
            if (calls > 0 && deadline.expired()) {
                break;
            }
            int second = calls == 0 && hedgeAfter.isPresent() ? nextCallable(order, k) : -1;
            if (second >= 0) {
                for (Attempt<V> a : race(request, deadline, i, second, hedgeAfter.get())) {
                    tried[a.index()] = true;
                    calls++;
                    String id = choices.get(a.index()).id();
                    if (a.failure() == null) {
                        report(steps, failures, null);
                        String fallback = a.index() == second ? HEDGE : k > 0 ? NEXT_PROVIDER : null;
                        return new Outcome<>(a.value(), tier, id, fallback, false);
                    }
                    BoundaryFailure failure = a.failure();
                    counts.get(a.index()).failures.get(failure.type()).increment();
                    failures.add(failure);
                    steps.add(id);
                    if (failure instanceof BudgetExceeded spent) {
                        report(steps, failures, spent);
                        throw spent;
                    }
                    if (failure instanceof RateLimited limited && anotherHealthy(a.index())) {
                        cooldowns.coolDown(id, limited.retryAfter().orElse(defaultCooldown));
                    }
                    reasked |= failure instanceof MalformedResponse;
                }
                continue;
            }
            boolean again = false;
            boolean reasking;
            int attempts = 0;
            do {
                reasking = again;
                again = false;
                count.calls.increment();
                calls++;
                attempts++;
                BoundaryFailure failure;
                long start = deadline.ticker().read();
                try {
                    V value = choice.route().call(request, deadline);
                    if (latencies != null) {
                        latencies.add(deadline.ticker().read() - start);
                    }
                    count.answers.increment();
                    heard(i, null);
                    report(steps, failures, null);
                    // not this request's first pick (skipped while cooling, or after a failure): the next provider
                    String fallback = reasking ? REASK : k > 0 || calls > 1 ? NEXT_PROVIDER : null;
                    return new Outcome<>(value, tier, choice.id(), fallback, false);
                } catch (BoundaryFailure f) {
                    failure = f;
                } catch (RuntimeException e) {
                    failure = new Unavailable("unexpected " + e.getClass().getName(), e);
                }
                count.failures.get(failure.type()).increment();
                heard(i, failure);
                failures.add(failure);
                steps.add(choice.id());
                switch (failure) {
                    case BudgetExceeded spent -> {
                        report(steps, failures, spent);
                        throw spent;
                    }
                    case RateLimited limited -> {
                        if (anotherHealthy(i)) {
                            cooldowns.coolDown(choice.id(), limited.retryAfter().orElse(defaultCooldown));
                        } else if (!waitable(limited, deadline)) {
                            // the only choice left, and a wait the deadline cannot hold: a per-call refusal
                            again = retrySame(i, order, k, attempts, deadline);
                        }
                    }
                    case MalformedResponse malformed -> {
                        if (!reasked) {
                            reasked = true;
                            again = reaskSame && !anotherCallable(order, k) && roomFor(deadline);
                        }
                        again = again || retrySame(i, order, k, attempts, deadline);
                    }
                    case TimedOut t -> { }
                    case Unavailable u -> { }
                    case CircuitOpen c -> { }
                    case Throttled t -> { }
                    case AuthFailed a -> { }
                    case InvalidRequest r -> { }
                }
            } while (again);
        }
        if (!failures.isEmpty()) {
            BoundaryFailure passed = telling(failures);
            report(steps, failures, passed);
            throw passed;
        }
        throw new RateLimited("every choice of " + tier.code() + " is cooling down", soonest);
    }

    /** One finished call of a hedged pair: its value, or its failure. */
    private record Attempt<V>(int index, V value, BoundaryFailure failure) {
    }

    /**
     * Calls choice {@code first}; when it has not finished after {@code after} and the share allows, calls
     * {@code second} too. Returns the finished calls in the order they finished, up to the first good one; the other
     * call, still running, is cancelled and handed to the abandoned-call listener.
     */
    private List<Attempt<V>> race(Q request, Deadline deadline, int first, int second, Duration after) {
        if (setTime != null) {
            return replayed(request, deadline, first, second, after);
        }
        BlockingQueue<Attempt<V>> done = new LinkedBlockingQueue<>();
        List<Attempt<V>> seen = new ArrayList<>(2);
        Future<?> a = executor.submit(() -> done.add(attempt(first, request, deadline)));
        Future<?> b = null;
        try {
            Attempt<V> r = done.poll(after.toNanos(), TimeUnit.NANOSECONDS);
            int running = 1;
            if (r == null) {
                if (takeHedge()) {
                    b = executor.submit(() -> done.add(attempt(second, request, deadline)));
                    running = 2;
                } else {
                    overShare.increment();
                }
            }
            while (true) {
                if (r == null) {
                    // the calls' time limits end them within the deadline; this only guards a route without one
                    r = done.poll(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
                    if (r == null) {
                        a.cancel(true);
                        if (b != null) {
                            b.cancel(true);
                        }
                        seen.add(new Attempt<>(first, null, new TimedOut(choices.get(first).id()
                                + " did not answer within the deadline")));
                        return seen;
                    }
                }
                running--;
                seen.add(r);
                if (r.failure() == null || running == 0) {
                    break;
                }
                r = null;
            }
            if (b != null) {
                if (r.failure() != null) {
                    bothFailed.increment();
                } else if (r.index() == second) {
                    won.increment();
                    if (seen.size() == 1) { // the first call is still running
                        abandon(a, first, request);
                    }
                } else {
                    lost.increment();
                    if (seen.size() == 1) {
                        abandon(b, second, request);
                    }
                }
            }
            return seen;
        } catch (InterruptedException e) {
            a.cancel(true);
            if (b != null) {
                b.cancel(true);
            }
            Thread.currentThread().interrupt();
            seen.add(new Attempt<>(first, null, new TimedOut("interrupted while waiting for " + model, e)));
            return seen;
        }
    }

    /**
     * The race in simulated time, where calls run on the caller's thread: the first call runs to its end; when it
     * ended past {@code after} and the share allows, time is set back to {@code after} and the second call runs;
     * then time is set to the winner's end (the later end when both failed). The loser ran to its end here (its
     * breaker heard it), where in real time it would have been cancelled.
     */
    private List<Attempt<V>> replayed(Q request, Deadline deadline, int first, int second, Duration after) {
        Ticker clock = deadline.ticker();
        long start = clock.read();
        Attempt<V> a = attempt(first, request, deadline);
        long endA = clock.read();
        if (endA - start <= after.toNanos()) {
            return List.of(a);
        }
        if (!takeHedge()) {
            overShare.increment();
            return List.of(a);
        }
        setTime.accept(start + after.toNanos());
        Attempt<V> b = attempt(second, request, deadline);
        long endB = clock.read();
        boolean aFirst = endA <= endB;
        Attempt<V> early = aFirst ? a : b;
        Attempt<V> late = aFirst ? b : a;
        if (early.failure() == null || late.failure() == null) {
            Attempt<V> winner = early.failure() == null ? early : late;
            setTime.accept(winner == a ? endA : endB);
            if (winner == b) {
                won.increment();
            } else {
                lost.increment();
            }
            if (winner == early) { // the other was still running: cancelled
                abandoned.accept(choices.get(winner == a ? second : first).id(), request);
                return List.of(early);
            }
            return List.of(early, late);
        }
        bothFailed.increment();
        setTime.accept(Math.max(endA, endB));
        return List.of(early, late);
    }

    /** Cancels a losing call (interrupting its thread closes its connection) and hands it to be charged. */
    private void abandon(Future<?> call, int index, Q request) {
        call.cancel(true);
        abandoned.accept(choices.get(index).id(), request);
    }

    private Attempt<V> attempt(int index, Q request, Deadline deadline) {
        Counts count = counts.get(index);
        count.calls.increment();
        long start = deadline.ticker().read();
        try {
            V value = choices.get(index).route().call(request, deadline);
            latencies.add(deadline.ticker().read() - start);
            count.answers.increment();
            heard(index, null);
            return new Attempt<>(index, value, null);
        } catch (BoundaryFailure f) {
            heard(index, f);
            return new Attempt<>(index, null, f);
        } catch (RuntimeException e) {
            Unavailable f = new Unavailable("unexpected " + e.getClass().getName(), e);
            heard(index, f);
            return new Attempt<>(index, null, f);
        }
    }

    /** Takes one hedge from the share: at most {@code maxShare} of the requests seen so far. */
    private boolean takeHedge() {
        while (true) {
            long sent = hedges.get();
            if (sent + 1 > hedge.maxShare() * requests.get()) {
                return false;
            }
            if (hedges.compareAndSet(sent, sent + 1)) {
                return true;
            }
        }
    }

    /** Returns the choice after position {@code k} of the order that could be called now, or -1. */
    private int nextCallable(int[] order, int k) {
        for (int j = k + 1; j < order.length; j++) {
            Choice<Q, V> c = choices.get(order[j]);
            if (c.healthy().getAsBoolean() && cooldowns.remaining(c.id()).isZero()) {
                return order[j];
            }
        }
        return -1;
    }

    /** Returns the tier's hedge counts, or empty when it does not hedge. */
    public Optional<HedgeStats> hedgeStats() {
        if (hedge == null) {
            return Optional.empty();
        }
        return Optional.of(new HedgeStats(tier, won.sum(), lost.sum(), bothFailed.sum(), overShare.sum()));
    }

    /**
     * Returns the failure the boundary's fallbacks should decide on: the last one, unless it was refused without a
     * call (an open breaker, our own rate limit) after a call that did fail: a 429 with its Retry-After behind an
     * open breaker must still reach the rate-limit fallback.
     */
    private static BoundaryFailure telling(List<BoundaryFailure> failures) {
        for (int i = failures.size() - 1; i >= 0; i--) {
            BoundaryFailure f = failures.get(i);
            if (!(f instanceof CircuitOpen) && !(f instanceof Throttled)) {
                return f;
            }
        }
        return failures.getLast();
    }

    /** Tells the listener of every failure but {@code passed}, which the boundary reports. */
    private void report(List<String> steps, List<BoundaryFailure> failures, BoundaryFailure passed) {
        for (int i = 0; i < failures.size(); i++) {
            if (failures.get(i) != passed) {
                listener.onFailure(steps.get(i), failures.get(i));
            }
        }
    }

    /**
     * Tells choice {@code i}'s retry budget how its call went: an answer ({@code failure} null) or a failed call; a
     * refusal before any call (its breaker open, our own rate limit or budget) says nothing of the provider.
     */
    private void heard(int i, BoundaryFailure failure) {
        if (budgets == null) {
            return;
        }
        RetryBudget budget = budgets.apply(choices.get(i).id());
        if (failure == null) {
            budget.onAnswer();
        } else if (!(failure instanceof CircuitOpen) && !(failure instanceof Throttled)
                && !(failure instanceof BudgetExceeded)) {
            budget.onFailure();
        }
    }

    /**
     * Returns whether choice {@code i} (at position {@code k} of the order), which just failed its
     * {@code attempts}-th call of this pass, is asked again: same-choice retries are on, no other choice is left,
     * the attempts and the deadline leave room, and the choice's retry budget allows.
     */
    private boolean retrySame(int i, int[] order, int k, int attempts, Deadline deadline) {
        return retry != null && retry.enabled() && attempts < retry.maxAttempts() && !anotherLeft(order, k)
                && roomFor(deadline) && budgets.apply(choices.get(i).id()).allowsRetry();
    }

    /** Returns whether the boundary's rate-limit fallback can wait out {@code limited}'s Retry-After in time. */
    private boolean waitable(RateLimited limited, Deadline deadline) {
        return limited.retryAfter()
                .map(wait -> wait.plus(minimumCall).plus(reserve).compareTo(deadline.remaining()) <= 0)
                .orElse(false);
    }

    /** Returns whether a choice after position {@code k} of the order could answer: healthy and not cooling. */
    private boolean anotherLeft(int[] order, int k) {
        for (int j = k + 1; j < order.length; j++) {
            Choice<Q, V> c = choices.get(order[j]);
            if (c.healthy().getAsBoolean() && cooldowns.remaining(c.id()).isZero()) {
                return true;
            }
        }
        return false;
    }

    private boolean roomFor(Deadline deadline) {
        return deadline.remaining().compareTo(minimumCall.plus(reserve)) > 0;
    }

    /**
     * Returns whether a choice other than {@code i} could take the tier's traffic: not cooling down and healthy.
     * Without one, a 429 does not cool its choice (the tier would have nothing left); it goes to the boundary's
     * rate-limit fallback, which waits when the deadline allows.
     */
    private boolean anotherHealthy(int i) {
        for (int j = 0; j < choices.size(); j++) {
            Choice<Q, V> c = choices.get(j);
            if (j != i && c.healthy().getAsBoolean() && cooldowns.remaining(c.id()).isZero()) {
                return true;
            }
        }
        return false;
    }

    private boolean anotherCallable(int[] order, int k) {
        for (int j = k + 1; j < order.length; j++) {
            if (cooldowns.remaining(choices.get(order[j]).id()).isZero()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns this request's order of choices: the first drawn by weight among the healthy choices that are not
     * cooling down, then the other weighted ones, then the backups (weight 0), each in the configured order.
     */
    private int[] order() {
        int n = choices.size();
        if (n == 1) {
            return new int[] {0};
        }
        int total = 0;
        int[] eligible = new int[n];
        for (int i = 0; i < n; i++) {
            Choice<Q, V> c = choices.get(i);
            if (c.weight() > 0 && c.healthy().getAsBoolean() && cooldowns.remaining(c.id()).isZero()) {
                eligible[i] = c.weight();
                total += c.weight();
            }
        }
        int first = -1;
        if (total > 0) {
            int draw = random.nextInt(total);
            for (int i = 0; i < n; i++) {
                draw -= eligible[i];
                if (draw < 0) {
                    first = i;
                    break;
                }
            }
        }
        int[] order = new int[n];
        int at = 0;
        if (first >= 0) {
            order[at++] = first;
        }
        for (int i = 0; i < n; i++) {
            if (i != first && choices.get(i).weight() > 0) {
                order[at++] = i;
            }
        }
        for (int i = 0; i < n; i++) {
            if (i != first && choices.get(i).weight() == 0) {
                order[at++] = i;
            }
        }
        return order;
    }

    /** Returns each choice's counts, in the configured order. */
    public List<ChoiceStats> stats() {
        List<ChoiceStats> out = new ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
            Counts c = counts.get(i);
            Map<FailureType, Long> f = new EnumMap<>(FailureType.class);
            c.failures.forEach((type, n) -> f.put(type, n.sum()));
            String id = choices.get(i).id();
            out.add(new ChoiceStats(id, tier, c.calls.sum(), c.answers.sum(), c.skipped.sum(), Map.copyOf(f),
                    cooldowns.remaining(id)));
        }
        return List.copyOf(out);
    }

    /** Returns the choices, in the configured order. */
    public List<Choice<Q, V>> choices() {
        return choices;
    }

    @Override
    public String describe() {
        if (choices.size() == 1) {
            String only = choices.getFirst().route().describe();
            return retry == null || !retry.enabled() ? only : "Retry[" + retry + "](" + only + ")";
        }
        return "Failover[" + tier.code() + ": by weight, then in order; 429 → cooldown (" + cooldowns
                + "), malformed → re-ask once, else next" + (retry == null || !retry.enabled() ? ""
                : "; last choice: " + retry) + (hedge == null ? "" : "; " + hedge) + "](" + choices.stream()
                .map(c -> c.id() + (c.weight() == DEFAULT_WEIGHT ? "" : " w=" + c.weight()) + ": "
                        + c.route().describe())
                .collect(Collectors.joining(" | ")) + ")";
    }

    private static final class Counts {
        final LongAdder calls = new LongAdder();
        final LongAdder answers = new LongAdder();
        final LongAdder skipped = new LongAdder();
        final Map<FailureType, LongAdder> failures = new EnumMap<>(FailureType.class);

        Counts() {
            for (FailureType t : FailureType.values()) {
                failures.put(t, new LongAdder());
            }
        }
    }

    /**
     * Builds a {@link Failover}. Each setting is checked at once and may be given once.
     */
    public static final class Builder<Q, V> {
        private Tier tier;
        private final List<Choice<Q, V>> choices = new ArrayList<>();
        private Cooldowns cooldowns;
        private Duration defaultCooldown;
        private Duration minimumCall;
        private Duration reserve;
        private Random random;
        private BoundaryListener listener;
        private boolean reaskSame;
        private Hedge hedge;
        private ExecutorService executor;
        private BiConsumer<String, Q> abandoned;
        private LongConsumer setTime;
        private SameChoiceRetry retry;
        private Function<String, RetryBudget> budgets;

        private Builder() {
        }

        private static <T> T once(T current, T value, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " was already set");
            }
            return Objects.requireNonNull(value, name);
        }

        /** The tier every choice answers for (required). */
        public Builder<Q, V> tier(Tier tier) {
            this.tier = once(this.tier, tier, "tier");
            return this;
        }

        /** Appends a choice; ids must differ and each choice's route must answer for the tier. */
        public Builder<Q, V> choice(Choice<Q, V> choice) {
            Objects.requireNonNull(choice, "choice");
            if (choices.stream().anyMatch(c -> c.id().equals(choice.id()))) {
                throw new IllegalArgumentException("the choice " + choice.id() + " is already in the tier");
            }
            choices.add(choice);
            return this;
        }

        /** Where cooldowns are kept (default: in process, on the system ticker). */
        public Builder<Q, V> cooldowns(Cooldowns cooldowns) {
            this.cooldowns = once(this.cooldowns, cooldowns, "cooldowns");
            return this;
        }

        /** How long a 429 without {@code Retry-After} cools its choice (default {@link #DEFAULT_COOLDOWN}). */
        public Builder<Q, V> defaultCooldown(Duration cooldown) {
            this.defaultCooldown = once(this.defaultCooldown, cooldown, "defaultCooldown");
            if (cooldown.isNegative()) {
                throw new IllegalArgumentException("defaultCooldown must not be negative: " + cooldown);
            }
            return this;
        }

        /** The least time, after the reserve, worth re-asking the same choice (default 200 ms). */
        public Builder<Q, V> minimumCall(Duration minimumCall) {
            this.minimumCall = once(this.minimumCall, minimumCall, "minimumCall");
            return this;
        }

        /** Time kept for the boundary's fallbacks (default 50 ms). */
        public Builder<Q, V> reserve(Duration reserve) {
            this.reserve = once(this.reserve, reserve, "reserve");
            return this;
        }

        /** Draws the first choice by weight (default unseeded); pass a seeded one for repeatable runs. */
        public Builder<Q, V> random(Random random) {
            this.random = once(this.random, random, "random");
            return this;
        }

        /** Hears the failures of calls that another call of the tier answered for (default none). */
        public Builder<Q, V> listener(BoundaryListener listener) {
            this.listener = once(this.listener, listener, "listener");
            return this;
        }

        /**
         * Whether a malformed answer is re-asked of the same choice when no other choice is left (default false:
         * only another choice is asked, so that a tier of one choice fails over as it always did).
         */
        public Builder<Q, V> reaskSameChoice(boolean reask) {
            this.reaskSame = reask;
            return this;
        }

        /**
         * Hedges the tier's requests (default: never): the calls of a hedged pair run on {@code executor} (virtual
         * threads are the natural choice), and {@code abandoned} hears the choice id and the request of each
         * cancelled loser, to charge it (the provider may bill a call it already started).
         */
        public Builder<Q, V> hedge(Hedge hedge, ExecutorService executor, BiConsumer<String, Q> abandoned) {
            this.hedge = once(this.hedge, hedge, "hedge");
            this.executor = Objects.requireNonNull(executor, "executor");
            this.abandoned = Objects.requireNonNull(abandoned, "abandoned");
            return this;
        }

        /**
         * Runs hedged pairs in simulated time (default: real time): with calls on the caller's thread, nothing runs
         * in parallel, so the pair is replayed one call after the other, {@code setTime} setting the simulated
         * ticker's reading (nanoseconds) back to when the second call would have started.
         */
        public Builder<Q, V> simulatedTime(LongConsumer setTime) {
            this.setTime = once(this.setTime, setTime, "simulatedTime");
            return this;
        }

        /**
         * Asks the same choice again, when no other is left, after a malformed answer or a 429 whose wait the
         * deadline cannot hold (default: never; see {@link SameChoiceRetry}); {@code budgets} returns each choice's
         * retry budget by id (share one per choice among the tier's routes, so that their calls all count).
         */
        public Builder<Q, V> sameChoiceRetry(SameChoiceRetry retry,
                                             Function<String, RetryBudget> budgets) {
            this.retry = once(this.retry, retry, "sameChoiceRetry");
            this.budgets = Objects.requireNonNull(budgets, "budgets");
            return this;
        }

        /** Returns the route. */
        public Failover<Q, V> build() {
            if (tier == null) {
                throw new IllegalStateException("a tier is required");
            }
            if (choices.isEmpty()) {
                throw new IllegalStateException("a tier needs at least one choice");
            }
            for (Choice<Q, V> c : choices) {
                if (c.route().tier() != tier) {
                    throw new IllegalArgumentException(c.id() + " answers for " + c.route().tier() + ", not " + tier);
                }
            }
            if (cooldowns == null) {
                cooldowns = Cooldowns.inProcess(Ticker.system());
            }
            if (defaultCooldown == null) {
                defaultCooldown = DEFAULT_COOLDOWN;
            }
            if (minimumCall == null) {
                minimumCall = Duration.ofMillis(200);
            }
            if (reserve == null) {
                reserve = Duration.ofMillis(50);
            }
            if (random == null) {
                random = new Random();
            }
            if (listener == null) {
                listener = BoundaryListener.NONE;
            }
            return new Failover<>(this);
        }
    }
}
