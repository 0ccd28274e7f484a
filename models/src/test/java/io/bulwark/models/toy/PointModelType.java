package io.bulwark.models.toy;

import io.bulwark.models.ModelType;
import io.bulwark.models.train.Algorithm;
import io.bulwark.models.train.Hyperparameter;
import io.bulwark.models.train.Labelled;
import io.bulwark.models.train.Metric;
import io.bulwark.models.train.Metrics;
import io.bulwark.models.train.TrainingData;
import io.bulwark.resilience.failure.RequestRejected;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A second model type, for tests only: a point (x, y) of [-10, 10]² → {@code inside} or {@code outside} the circle
 * of radius 6. It uses nothing but the public SPI, as the digit recogniser will: its own fields and ranges, its
 * own algorithms, its own generated data and its own promotion metric.
 */
final class PointModelType implements ModelType<Point> {

    static final double LIMIT = 10;
    static final double RADIUS = 6;

    /** The recall of the label the model finds worst: a model that never says {@code inside} scores 0. */
    static final Metric WORST_RECALL = new Metric("worst_recall", m -> m.perClass().values().stream()
            .mapToDouble(Metrics.ClassMetrics::recall).min().orElse(0));

    static final Algorithm TREE = new Algorithm("tree", List.of(Hyperparameter.integer("max_depth", 2, 1, 20)),
            (h, seed) -> new CARTClassificationTrainer((Integer) h.get("max_depth"), 1f, 0f, 1f, false,
                    new GiniIndex(), seed));

    /** A straight line cannot draw a circle: trained to show a version that is not promoted. */
    static final Algorithm LINEAR = new Algorithm("linear", List.of(Hyperparameter.integer("epochs", 5, 1, 100)),
            (h, seed) -> new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1), (Integer) h.get("epochs"),
                    Integer.MAX_VALUE, 1, seed));

    private final PointData data = PointData.generate(400, 1);

    @Override
    public Point input(Map<String, ?> row) {
        return new Point(coordinate(row, "x"), coordinate(row, "y"));
    }

    private static double coordinate(Map<String, ?> row, String field) {
        Object value = row.get(field);
        if (value == null) {
            throw new RequestRejected("missing_field", field, "\"" + field + "\" is required");
        }
        double d;
        if (value instanceof JsonNode n) {
            if (!n.isNumber()) {
                throw new RequestRejected("invalid_type", field, "\"" + field + "\" must be a number");
            }
            d = n.doubleValue();
        } else {
            try {
                d = Double.parseDouble(value.toString().strip());
            } catch (NumberFormatException e) {
                throw new RequestRejected("invalid_type", field, "\"" + field + "\" must be a number");
            }
        }
        if (!(d >= -LIMIT && d <= LIMIT)) {
            throw new RequestRejected("out_of_range", field, "\"" + field + "\" must be between -10 and 10");
        }
        return d;
    }

    @Override
    public Example<Label> example(Point p, Label label) {
        return new ArrayExample<>(label, new String[]{"x", "y"}, new double[]{p.x(), p.y()});
    }

    @Override
    public List<Algorithm> algorithms() {
        return List.of(TREE, LINEAR);
    }

    @Override
    public TrainingData<Point> data() {
        return data;
    }

    @Override
    public List<Metric> metrics() {
        return List.of(WORST_RECALL, Metric.ACCURACY);
    }

    /** Points drawn uniformly from the square with a seeded random, labelled by the circle. */
    record PointData(List<Labelled<Point>> rows, String source, String sha256) implements TrainingData<Point> {

        static PointData generate(int n, long seed) {
            Random random = new Random(seed);
            List<Labelled<Point>> rows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Point p = new Point(random.nextDouble(-LIMIT, LIMIT), random.nextDouble(-LIMIT, LIMIT));
                rows.add(new Labelled<>(p, Math.hypot(p.x(), p.y()) < RADIUS ? "inside" : "outside"));
            }
            return new PointData(rows, "generated: " + n + " points, seed " + seed, "none");
        }
    }
}
