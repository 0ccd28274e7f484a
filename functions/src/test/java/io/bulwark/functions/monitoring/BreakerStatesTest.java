package io.bulwark.functions.monitoring;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BreakerStatesTest {

    static Map<String, String> states(String cheap, String strong) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("gpt-4o-mini", cheap);
        m.put("gpt-4o", strong);
        return m;
    }

    @Test
    void should_call_open_the_worst_state_whichever_model_is_open() {
        assertThat(BreakerStates.worst(states("CLOSED", "OPEN"))).isEqualTo("OPEN");
        assertThat(BreakerStates.worst(states("OPEN", "CLOSED"))).isEqualTo("OPEN");
        assertThat(BreakerStates.worst(states("HALF_OPEN", "OPEN"))).isEqualTo("OPEN");
    }

    @Test
    void should_call_half_open_worse_than_closed_and_have_no_state_without_a_breaker() {
        assertThat(BreakerStates.worst(states("CLOSED", "HALF_OPEN"))).isEqualTo("HALF_OPEN");
        assertThat(BreakerStates.worst(states("HALF_OPEN", "CLOSED"))).isEqualTo("HALF_OPEN");
        assertThat(BreakerStates.worst(states("CLOSED", "CLOSED"))).isEqualTo("CLOSED");
        assertThat(BreakerStates.worst(Map.of())).isNull();
    }

    @Test
    void should_name_the_breakers_not_closed_in_tier_order() {
        assertThat(BreakerStates.notClosed(states("HALF_OPEN", "OPEN"))).isEqualTo("gpt-4o-mini half-open, gpt-4o open");
        assertThat(BreakerStates.notClosed(states("CLOSED", "OPEN"))).isEqualTo("gpt-4o open");
        assertThat(BreakerStates.notClosed(states("CLOSED", "CLOSED"))).isEmpty();
        assertThat(BreakerStates.anyNotClosed(states("CLOSED", "HALF_OPEN"))).isTrue();
        assertThat(BreakerStates.anyNotClosed(states("CLOSED", "CLOSED"))).isFalse();
    }
}
