package io.bulwark.sentiment.simulate;

import io.bulwark.costing.MonthlyCostCalculator;
import io.bulwark.costing.PriceTable;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a simulation: the scenario, the workload actually drawn, the calculator's closed-form
 * baseline, and one result per strategy, in the scenario's order.
 *
 * @param baseline the workshop calculator's bill for all traffic on the reference model, no cache
 * @param sensitivity the assumed LLM accuracies of each column of the sensitivity table (by model)
 * @param localAccuracy the local model's accuracy measured on the sample's distinct labelled sentences
 * @param traffic  the file replayed, if the requests came from one rather than from the corpus
 */
public record SimulationReport(Scenario scenario, PriceTable prices, Map<Workload.Kind, Long> workloadKinds,
                               Duration span, MonthlyCostCalculator.MonthlyCost baseline,
                               List<StrategyResult> results, List<Map<String, Double>> sensitivity,
                               java.util.OptionalDouble localAccuracy, java.util.Optional<TrafficFile> traffic) {
}
