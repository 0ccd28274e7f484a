package io.bulwark.functions.config;

import io.bulwark.state.SharedState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Optional;

/**
 * Wires the state a fleet shares: with {@code bulwark.state.redis-url} set, one {@link SharedState} (it connects in
 * the background: a Redis that is down at start-up is not an error, requests decide from in-process state until it
 * answers); without, none.
 */
@Configuration(proxyBeanMethods = false)
class StateConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StateConfiguration.class);

    @Bean
    Fleet fleet(BulwarkProperties props) {
        BulwarkProperties.State s = props.state();
        if (!s.shared()) {
            log.info("Shared state: none (bulwark.state.redis-url is blank): budget, rate limits, caches and breakers"
                    + " are this instance's own");
            return Fleet.alone();
        }
        SharedState shared = SharedState.connect(s.toConfig());
        log.info("Shared state: {} (budget, rate limits{})", shared.config(), s.breakerNews() ? ", breaker news" : "");
        return new Fleet(Optional.of(shared));
    }

    /** {@code bulwark.shared_state.available} (1/0) and {@code bulwark.shared_state.failures}, with a Redis only. */
    @Bean
    MeterBinder sharedStateMeters(Fleet fleet) {
        return registry -> fleet.shared().ifPresent(s -> {
            Gauge.builder("bulwark.shared_state.available", s, x -> x.health().available() ? 1 : 0)
                    .description("1 while Redis answers; 0 while requests decide from in-process state")
                    .register(registry);
            FunctionCounter.builder("bulwark.shared_state.failures", s, x -> x.health().failures())
                    .description("Redis commands that failed, timed out or were skipped while Redis was away")
                    .register(registry);
            FunctionCounter.builder("bulwark.shared_state.recoveries", s, x -> x.health().recoveries())
                    .description("times Redis answered again after being away").register(registry);
        });
    }
}
