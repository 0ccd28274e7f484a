package io.bulwark.chaos.report;

import io.bulwark.chaos.experiment.BreakerEvent;
import io.bulwark.chaos.experiment.Check;
import io.bulwark.chaos.experiment.Summary;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Number and text formats shared by the reports; fixed locale, so the same run prints the same bytes.
 */
final class Format {

    static final List<String> HEADER = List.of("scenario", "requests", "cache", "llm", "local", "template",
            "rate_limit retry", "timeout retry", "degraded", "leaked", "p50 ms", "p95 ms", "p99 ms", "max ms",
            "breaker transitions", "cost USD", "correct", "hypothesis");

    private Format() {
    }

    static List<String> row(Summary s) {
        return List.of(s.name(), count(s.requests()), count(s.byTier().get("cache")),
                count(s.byTier().get("llm-cheap") + s.byTier().get("llm-strong")), count(s.byTier().get("local")),
                count(s.byTier().get("template")), count(s.byFallback().get("rate_limit")),
                count(s.byFallback().get("timeout")), percent(s.degradedShare()), count(s.leaked()), ms(s.p50()),
                ms(s.p95()), ms(s.p99()), ms(s.max()), count(s.transitions()), usd(s.costUsd()),
                percent(s.correct()), s.holds() ? "holds" : "FAILS");
    }

    static String count(long n) {
        return Long.toString(n);
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    static String ms(double ms) {
        return String.format(Locale.ROOT, "%.0f", ms);
    }

    static String usd(double usd) {
        return String.format(Locale.ROOT, "%.6f", usd);
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1f s", s);
    }

    static String counts(Map<String, Long> counts) {
        return counts.entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    static String event(BreakerEvent e) {
        return seconds(e.atSeconds()) + " " + e.from() + " → " + e.to() + " (request " + e.request() + ")";
    }

    static String verdict(Check c) {
        return switch (c.verdict()) {
            case PASS -> "✓";
            case FAIL -> "✗";
            case NOT_APPLICABLE -> "–";
        };
    }

    static String setting(Summary s) {
        var e = s.run().experiment();
        return s.run().mode() + " · seed " + e.seed() + " · " + e.requests() + " requests due over "
                + seconds(e.scenario().span().toNanos() / 1e9) + ", answered within " + seconds(s.run().elapsedSeconds())
                + " · deadline " + e.deadline().toMillis() + " ms";
    }
}
