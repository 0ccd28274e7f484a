package io.bulwark.chaos.classifier;

import io.bulwark.chaos.experiment.Check;
import io.bulwark.chaos.experiment.Percentiles;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The steady-state hypothesis of the classifier (as {@link io.bulwark.chaos.experiment.Hypothesis} is the
 * sentiment function's): whatever the model does,
 * <ol>
 *   <li>{@code well-formed}: every reply is an answer (200, a label or {@code uncertain}, the version that answered),
 *       or the bulkhead's 503 {@code server_busy} (which the edge sends with {@code Retry-After});</li>
 *   <li>{@code no-other-5xx}: no other 5xx;</li>
 *   <li>{@code no-exception}: no exception escapes the function;</li>
 *   <li>{@code p95-within-deadline}: the 95th percentile latency of all replies is within the deadline;</li>
 *   <li>{@code degraded-labelled}: an answer from another version than the promoted one has a {@code fallback}; a
 *       degraded answer is {@code uncertain} with no guess and has a {@code fallback}; an answer by the promoted
 *       version that is not degraded has none;</li>
 *   <li>{@code no-wrong-answer}: every answer that is not uncertain equals what the healthy previous version
 *       answers for the same input (a sick version's output is never passed off as an answer);</li>
 *   <li>{@code healthy-model-serves} (no fault): every request is answered by the promoted version, no fallback, no
 *       refusal;</li>
 *   <li>{@code fault-handled} (a fault): the fault was met — answers fell back (slow, fails to load, corrupt) or the
 *       bulkhead refused some requests and answered the others (burst).</li>
 * </ol>
 */
public final class ClassifierHypothesis {

    private ClassifierHypothesis() {
    }

    /** Returns the verdict on each clause, in the order above. */
    public static List<Check> check(ClassifierScenario scenario, List<ClassifierReply> replies, String promoted,
                                    Duration deadline) {
        List<Check> checks = new ArrayList<>();
        long malformed = replies.stream().filter(r -> r.exception() == null && !wellFormed(r)).count();
        checks.add(check("well-formed", malformed == 0, malformed + " of " + replies.size() + " malformed"));
        long other5xx = replies.stream().filter(r -> r.status() >= 500 && !busy(r)).count();
        checks.add(check("no-other-5xx", other5xx == 0, other5xx + " replies with another 5xx"));
        long escaped = replies.stream().filter(r -> r.exception() != null).count();
        checks.add(check("no-exception", escaped == 0, escaped + " exceptions escaped" + replies.stream()
                .map(ClassifierReply::exception).filter(e -> e != null).findFirst().map(e -> "; first: " + e)
                .orElse("")));
        double p95 = Percentiles.of(replies.stream().mapToDouble(ClassifierReply::latencyMs).toArray()).at(0.95);
        checks.add(check("p95-within-deadline", p95 <= deadline.toMillis(), String.format(Locale.ROOT,
                "p95 %.0f ms, deadline %d ms", p95, deadline.toMillis())));
        List<String> mislabelled = replies.stream().filter(ClassifierReply::answered)
                .map(r -> labelProblem(r, promoted)).filter(p -> p != null).toList();
        checks.add(check("degraded-labelled", mislabelled.isEmpty(), mislabelled.size() + " answers mislabelled"
                + (mislabelled.isEmpty() ? "" : "; first: " + mislabelled.getFirst())));
        long wrong = replies.stream().filter(r -> r.answered() && !r.degraded() && !"uncertain".equals(r.prediction())
                && !r.prediction().equals(r.expected())).count();
        checks.add(check("no-wrong-answer", wrong == 0, wrong + " answers differ from the healthy version's"));
        long answered = replies.stream().filter(ClassifierReply::answered).count();
        long fellBack = replies.stream().filter(r -> r.answered() && r.fallback() != null).count();
        long refused = replies.stream().filter(ClassifierHypothesis::busy).count();
        if (scenario.faults().isEmpty()) {
            checks.add(check("healthy-model-serves", fellBack == 0 && answered == replies.size(), fellBack
                    + " fallbacks, " + (replies.size() - answered) + " not answered"));
            checks.add(new Check("fault-handled", Check.Verdict.NOT_APPLICABLE, "no fault"));
        } else {
            checks.add(new Check("healthy-model-serves", Check.Verdict.NOT_APPLICABLE, "faults are injected"));
            boolean burst = scenario.fault(ClassifierFault.Burst.class).isPresent();
            checks.add(burst
                    ? check("fault-handled", refused > 0 && answered > 0, answered + " answered, " + refused
                            + " refused server_busy")
                    : check("fault-handled", fellBack == answered && answered > 0, fellBack + " of " + answered
                            + " answers by the fallback"));
        }
        return checks;
    }

    /** Returns true if every applicable clause held. */
    public static boolean holds(List<Check> checks) {
        return checks.stream().noneMatch(c -> c.verdict() == Check.Verdict.FAIL);
    }

    private static boolean busy(ClassifierReply r) {
        return r.status() == 503 && "server_busy".equals(r.error());
    }

    private static boolean wellFormed(ClassifierReply r) {
        if (busy(r)) {
            return true;
        }
        return r.status() == 200 && r.prediction() != null && r.version() != null;
    }

    private static String labelProblem(ClassifierReply r, String promoted) {
        if (r.degraded()) {
            if (!"uncertain".equals(r.prediction()) || r.bestGuess() != null || r.fallback() == null) {
                return "degraded but " + r.prediction() + " / guess " + r.bestGuess() + " / fallback " + r.fallback();
            }
            return null;
        }
        if (!r.version().equals(promoted) && r.fallback() == null) {
            return "answered by " + r.version() + ", not the promoted " + promoted + ", without a fallback";
        }
        if (r.version().equals(promoted) && r.fallback() != null) {
            return "answered by the promoted " + promoted + " with a fallback: " + r.fallback();
        }
        return null;
    }

    private static Check check(String name, boolean held, String detail) {
        return new Check(name, held ? Check.Verdict.PASS : Check.Verdict.FAIL, detail);
    }
}
