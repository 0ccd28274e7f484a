package io.bulwark.models.feedback;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.bulwark.models.Answer;
import io.bulwark.models.ModelInput;
import io.bulwark.models.train.Labelled;
import io.bulwark.resilience.failure.RequestRejected;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Joins the true labels callers send back ({@code POST /feedback}) to the predictions served under the same request
 * id, and measures each version's live accuracy on them. Bounded: the last {@link FeedbackSettings#maxIndexed()}
 * served predictions are remembered, the last {@link FeedbackSettings#window()} outcomes per version counted, the last
 * {@link FeedbackSettings#maxLabelled()} labelled inputs kept for retraining. Thread-safe.
 *
 * @param <I> the model type's input
 */
public final class Feedback<I extends ModelInput> {

    /** Versions whose outcomes are kept. */
    static final int MAX_VERSIONS = 16;

    private record Served<I>(String version, I input, String answered, String output) {
    }

    /** A feedback label joined to its prediction: what {@code POST /feedback} answers. */
    @JsonPropertyOrder({"request_id", "model_version", "prediction", "label", "correct", "live_accuracy"})
    public record Joined(@JsonProperty("request_id") String requestId, @JsonProperty("model_version") String version,
                         String prediction, String label, boolean correct,
                         @JsonProperty("live_accuracy") LiveAccuracy liveAccuracy) {
    }

    private final FeedbackSettings settings;
    private final Function<String, Set<String>> classes;
    private final Function<String, OptionalDouble> heldOutAccuracy;
    private final LinkedHashMap<String, Served<I>> index;
    private final Set<String> labelledIds = new java.util.HashSet<>();
    private final LinkedHashMap<String, Outcomes> outcomes = new LinkedHashMap<>(16, 0.75f, true);
    private final ArrayDeque<Labelled<I>> labelled = new ArrayDeque<>();
    private long labelledTotal;

    /**
     * @param classes         a version's labels (the classes its answers and feedback may name)
     * @param heldOutAccuracy a version's held-out accuracy, empty when unknown
     */
    public Feedback(FeedbackSettings settings, Function<String, Set<String>> classes,
                    Function<String, OptionalDouble> heldOutAccuracy) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.classes = Objects.requireNonNull(classes, "classes");
        this.heldOutAccuracy = Objects.requireNonNull(heldOutAccuracy, "heldOutAccuracy");
        this.index = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Served<I>> eldest) {
                if (size() > settings.maxIndexed()) {
                    labelledIds.remove(eldest.getKey());
                    return true;
                }
                return false;
            }
        };
    }

    public FeedbackSettings settings() {
        return settings;
    }

    /**
     * Remembers a served prediction under its request id (a batch row's is {@code <id>#<row>}) so feedback can join it;
     * a repeated id replaces the one before.
     */
    public synchronized void served(String requestId, String version, I input, Answer answer) {
        String best = answer.uncertain() ? answer.bestGuess() : answer.prediction();
        labelledIds.remove(requestId);
        index.remove(requestId);
        index.put(requestId, new Served<>(version, input, best, answer.prediction()));
    }

    /** Returns true when a prediction served under {@code requestId} is remembered (feedback can join it). */
    public synchronized boolean knows(String requestId) {
        return index.containsKey(requestId);
    }

    /**
     * Joins a true label to the prediction served under {@code requestId}: counts it in that version's live accuracy
     * and keeps the labelled input for retraining.
     *
     * @throws RequestRejected 404 {@code unknown_request_id} when no remembered prediction has that id, 400
     *                         {@code invalid_value} (field {@code label}) when the label is not one of the version's
     *                         classes, 409 {@code feedback_exists} when the prediction already has its label
     */
    public Joined give(String requestId, String label) {
        Served<I> served;
        String canonical;
        synchronized (this) {
            served = index.get(requestId);
            if (served == null) {
                throw new RequestRejected(404, "unknown_request_id", "request_id", "no prediction with request id '"
                        + clip(requestId) + "' is remembered: it was never served, or is older than the last "
                        + settings.maxIndexed() + " predictions (bulwark.classifier.feedback.max-indexed)");
            }
            canonical = canonical(served.version(), label);
            if (!labelledIds.add(requestId)) {
                throw new RequestRejected(409, "feedback_exists", "request_id", "request " + clip(requestId)
                        + " already has its feedback label");
            }
            boolean correct = served.answered().equals(canonical);
            outcomes(served.version()).add(correct);
            labelled.addLast(new Labelled<>(served.input(), canonical));
            while (labelled.size() > settings.maxLabelled()) {
                labelled.removeFirst();
            }
            labelledTotal++;
        }
        return new Joined(requestId, served.version(), served.output(), canonical,
                served.answered().equals(canonical), accuracy(served.version()));
    }

    private String canonical(String version, String label) {
        Set<String> known = new TreeSet<>(classes.apply(version));
        for (String c : known) {
            if (c.equalsIgnoreCase(label.strip())) {
                return c;
            }
        }
        throw new RequestRejected("invalid_value", "label", "\"label\" must be one of " + String.join(", ", known)
                + " (the classes of " + version + "), not '" + clip(label) + "'");
    }

    /** Returns a version's live accuracy against its held-out accuracy. */
    public LiveAccuracy accuracy(String version) {
        int[] counts;
        synchronized (this) {
            Outcomes o = outcomes.get(version);
            counts = o == null ? new int[]{0, 0} : new int[]{o.size, o.correct};
        }
        OptionalDouble held = heldOutAccuracy.apply(version);
        Double heldOut = held.isPresent() ? held.getAsDouble() : null;
        Double live = counts[0] == 0 ? null : round((double) counts[1] / counts[0]);
        Double drop = heldOut == null || live == null ? null : round(heldOut - live);
        String verdict = counts[0] < settings.minFeedback() || drop == null ? LiveAccuracy.INSUFFICIENT_FEEDBACK
                : drop > settings.alertMargin() ? LiveAccuracy.BELOW_HELD_OUT : LiveAccuracy.OK;
        return new LiveAccuracy(version, verdict, heldOut, live, drop, settings.alertMargin(), counts[0], counts[1],
                settings.window(), settings.minFeedback());
    }

    /** Returns the versions with feedback, most recently labelled last. */
    public synchronized List<String> versions() {
        return new ArrayList<>(outcomes.keySet());
    }

    /** Returns the labelled inputs kept for retraining, oldest first. */
    public synchronized List<Labelled<I>> labelled() {
        return List.copyOf(labelled);
    }

    /** Returns how many feedback labels were joined since start-up. */
    public synchronized long labelledTotal() {
        return labelledTotal;
    }

    private Outcomes outcomes(String version) {
        Outcomes o = outcomes.get(version);
        if (o == null) {
            o = new Outcomes(settings.window());
            outcomes.put(version, o);
            while (outcomes.size() > MAX_VERSIONS) {
                outcomes.remove(outcomes.keySet().iterator().next());
            }
        }
        return o;
    }

    /** The last outcomes of one version, in a ring. */
    private static final class Outcomes {
        private final boolean[] ring;
        private int next;
        private int size;
        private int correct;

        Outcomes(int window) {
            ring = new boolean[window];
        }

        void add(boolean right) {
            if (size == ring.length && ring[next]) {
                correct--;
            }
            ring[next] = right;
            correct += right ? 1 : 0;
            next = (next + 1) % ring.length;
            size = Math.min(size + 1, ring.length);
        }
    }

    private static double round(double d) {
        return Math.round(d * 10_000) / 10_000.0;
    }

    private static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
