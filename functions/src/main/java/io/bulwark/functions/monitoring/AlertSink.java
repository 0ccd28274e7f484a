package io.bulwark.functions.monitoring;

/**
 * Is told of every alert transition (e.g. a webhook). Must not throw, and must not block the evaluator.
 */
@FunctionalInterface
public interface AlertSink {

    void accept(AlertEvent event);
}
