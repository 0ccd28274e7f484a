package io.bulwark.functions.config;

import io.bulwark.functions.classifier.AdminAuth;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdminTokenTest {

    @Test
    void should_keep_a_configured_token_and_generate_a_fresh_one_when_none_or_an_empty_one_is_set() {
        SecureRandom random = new SecureRandom();

        assertThat(AdminToken.of("change-me", random).value()).isEqualTo("change-me");
        assertThat(AdminToken.of(null, random).value()).hasSize(43).isNotEqualTo(AdminToken.of("", random).value());
    }

    @Test
    void should_strip_the_newline_a_secrets_file_leaves_around_the_token() {
        AdminToken token = AdminToken.of("  s3cret\n", new SecureRandom());

        assertThat(token.value()).isEqualTo("s3cret");
        new AdminAuth(token.value()).check("Bearer s3cret");
    }

    @Test
    void should_refuse_to_start_with_a_token_of_only_white_space() {
        assertThatThrownBy(() -> AdminToken.of(" \n\t", new SecureRandom()))
                .isInstanceOf(InvalidConfiguration.class)
                .hasMessageContaining("bulwark.admin-token")
                .hasMessageContaining("white space");
    }

    @Test
    void should_frame_the_token_as_a_ready_to_paste_header_on_a_line_of_its_own() {
        String[] lines = AdminToken.banner("t0k3n").split(System.lineSeparator());

        assertThat(lines).contains("      Authorization: Bearer t0k3n");
        assertThat(lines[1]).isEqualTo(lines[lines.length - 1]).matches("=+");
        assertThat(lines[2]).contains("ADMIN TOKEN", "BULWARK_ADMIN_TOKEN");
    }
}
