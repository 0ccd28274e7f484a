package io.bulwark.functions.config;

import io.bulwark.resilience.Sleeper;
import io.bulwark.resilience.Ticker;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/**
 * The one source of time of the app: the wall clock (UTC), the monotonic ticker and the sleeper. Everything in
 * {@code functions} takes them from here, so a test can put simulated time in their place.
 */
@Configuration(proxyBeanMethods = false)
class TimeConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    Ticker ticker() {
        return Ticker.system();
    }

    @Bean
    Sleeper sleeper() {
        return Sleeper.system();
    }
}
