package io.bulwark.costing;

import io.bulwark.costing.BudgetStore.Spending;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class FileBudgetStoreTest {

    @Test
    void should_read_back_the_last_saved_spending_from_a_new_store_on_the_same_file(@TempDir Path dir) {
        Path file = dir.resolve("logs/daily-budget.json");
        new FileBudgetStore(file).save(new Spending(LocalDate.of(2026, 11, 23), 1.25));
        new FileBudgetStore(file).save(new Spending(LocalDate.of(2026, 11, 23), 1.5));

        assertThat(new FileBudgetStore(file).load()).contains(new Spending(LocalDate.of(2026, 11, 23), 1.5));
        assertThat(dir.resolve("logs")).isDirectoryContaining(p -> p.getFileName().toString().equals("daily-budget.json"))
                .isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".tmp"));
    }

    @Test
    void should_start_from_nothing_when_the_file_is_missing_or_damaged(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("budget.json");
        assertThat(new FileBudgetStore(file).load()).isEmpty();

        Files.writeString(file, "{\"day\":\"2026-11-23\",\"us");

        assertThat(new FileBudgetStore(file).load()).isEmpty();
    }

    @Test
    void should_not_throw_when_it_cannot_save(@TempDir Path dir) throws Exception {
        Path blocker = dir.resolve("not-a-directory");
        Files.writeString(blocker, "x");

        new FileBudgetStore(blocker.resolve("budget.json")).save(new Spending(LocalDate.of(2026, 11, 23), 1.0));

        assertThat(blocker).hasContent("x");
    }
}
