package io.bulwark.models.dataset;

import io.bulwark.resilience.failure.RequestRejected;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlGuardTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT * FROM penguins",
            "  select island, species from penguins where species = 'delete; drop table x' ;  ",
            "WITH big AS (SELECT * FROM penguins WHERE body_mass_g > 5000) SELECT * FROM big",
            "SELECT updated_at, created_by, \"insert\" FROM log -- drop everything\n",
            "/* update later */ SELECT 1",
            "SELECT 'it''s; fine' AS s",
    })
    void should_let_one_reading_statement_through(String query) {
        assertThat(SqlGuard.check(query)).doesNotEndWith(";").startsWithIgnoringCase(
                query.strip().startsWith("/*") ? "/*" : query.strip().substring(0, 4));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "DELETE FROM penguins",
            "select 1; select 2",
            "SELECT * FROM penguins FOR UPDATE",
            "VALUES (1)",
            "EXPLAIN ANALYZE DELETE FROM penguins",
            "SELECT * INTO backup FROM penguins",
            "SELECT 'unclosed",
            "SELECT $$ x $$",
            "ATTACH DATABASE 'x.db' AS x",
            "-- only a comment",
    })
    void should_refuse_anything_else_naming_the_query(String query) {
        assertThatThrownBy(() -> SqlGuard.check(query)).isInstanceOfSatisfying(RequestRejected.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.field()).isEqualTo("query");
        });
    }
}
