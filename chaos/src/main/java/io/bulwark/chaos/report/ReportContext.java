package io.bulwark.chaos.report;

import io.bulwark.chaos.experiment.Summary;

import java.util.List;
import java.util.Objects;

/**
 * What a report is about: the command that produced it and the summary of each scenario run.
 */
public record ReportContext(String command, List<Summary> summaries) {

    public ReportContext {
        Objects.requireNonNull(command, "command");
        summaries = List.copyOf(summaries);
        if (summaries.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one scenario");
        }
    }

    /** Returns true if the hypothesis held in every scenario. */
    public boolean holds() {
        return summaries.stream().allMatch(Summary::holds);
    }
}
