package io.bulwark.costing;

import io.bulwark.costing.BudgetStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The day's spending in a small file ({@code {"day":"2026-11-23","usd":1.234567}}), replaced atomically on every
 * save (write a sibling, then move it over), so a crash leaves the previous or the new figure, never half of one.
 * An unreadable file is reported and ignored: the budget then starts from zero, as it would without a file.
 */
public final class FileBudgetStore implements BudgetStore {

    private static final Logger log = LoggerFactory.getLogger(FileBudgetStore.class);
    private static final Pattern CONTENT = Pattern.compile(
            "\\{\\s*\"day\"\\s*:\\s*\"(\\d{4}-\\d{2}-\\d{2})\"\\s*,\\s*\"usd\"\\s*:\\s*([0-9.eE+-]+)\\s*}\\s*");

    private final Path file;
    private final Path temporary;
    private boolean failing;

    public FileBudgetStore(Path file) {
        this.file = file.toAbsolutePath();
        this.temporary = this.file.resolveSibling(this.file.getFileName() + ".tmp");
    }

    @Override
    public Optional<Spending> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Matcher m = CONTENT.matcher(Files.readString(file, StandardCharsets.UTF_8));
            if (m.matches()) {
                return Optional.of(new Spending(LocalDate.parse(m.group(1)), Double.parseDouble(m.group(2))));
            }
            log.warn("The budget file {} is not {{\"day\":..., \"usd\":...}}: today's spending starts at zero", file);
        } catch (IOException | RuntimeException e) {
            log.warn("The budget file {} cannot be read ({}): today's spending starts at zero", file, e.toString());
        }
        return Optional.empty();
    }

    /** Saves; a failure is logged (once until a save succeeds again), never thrown into the request. */
    @Override
    public synchronized void save(Spending spending) {
        String json = String.format(Locale.ROOT, "{\"day\":\"%s\",\"usd\":%.9f}%n", spending.day(), spending.usd());
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(temporary, json, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            failing = false;
        } catch (IOException e) {
            if (!failing) {
                log.warn("Cannot save the day's spending to {} ({}): a restart would start the day at zero", file,
                        e.toString());
            }
            failing = true;
        }
    }

    @Override
    public String toString() {
        return "in " + file;
    }
}
