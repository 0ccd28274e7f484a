package io.bulwark.sentiment.simulate;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.sentiment.SentimentLabel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A recorded stream of requests to replay through the strategies ({@code simulate --traffic FILE}), read from
 * <ul>
 *   <li>the prediction log's JSON Lines ({@code bulwark.prediction-log.backend=jsonl}): {@code timestamp},
 *       {@code function} (lines of other functions are skipped) and {@code input}, the request as JSON text
 *       ({@code {"text": "..."}}); a redacted input ({@code null}) cannot be replayed;</li>
 *   <li>JSON Lines of texts: {@code {"text": "...", "timestamp": "2026-11-29T10:00:00Z", "label": "positive"}}, the
 *       last two optional;</li>
 *   <li>CSV with a header row naming a {@code text} column and optionally {@code timestamp} and {@code label}.</li>
 * </ul>
 * A label is {@code positive}/{@code negative}/{@code neutral} or {@code 1}/{@code 0}. Bad lines are <b>skipped</b>
 * and reported with their line numbers ({@link #problems()}); a file without one good line is refused.
 */
public final class TrafficFile {

    /** One request of the file. */
    public record Line(int number, String text, Optional<Instant> at, Optional<SentimentLabel> label) {
    }

    /** A line that could not be replayed, and why. */
    public record Problem(int number, String message) {
        @Override
        public String toString() {
            return "line " + number + ": " + message;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final List<Line> lines;
    private final List<Problem> problems;

    private TrafficFile(Path path, List<Line> lines, List<Problem> problems) {
        this.path = path;
        this.lines = List.copyOf(lines);
        this.problems = List.copyOf(problems);
    }

    /**
     * Reads {@code file}: CSV if its name ends in {@code .csv}, else JSON Lines.
     *
     * @throws IllegalArgumentException if no line can be replayed, naming the first problems and what to do
     */
    public static TrafficFile read(Path file) {
        List<String> raw;
        try {
            raw = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException("the traffic file " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the traffic file " + file, e);
        }
        boolean csv = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
        TrafficFile t = csv ? csv(file, raw) : jsonl(file, raw);
        if (t.lines.isEmpty()) {
            StringBuilder sb = new StringBuilder("the traffic file " + file + " has no line to replay");
            t.problems.stream().limit(5).forEach(p -> sb.append("\n  ").append(p));
            if (t.problems.size() > 5) {
                sb.append("\n  ... and ").append(t.problems.size() - 5).append(" more");
            }
            sb.append("\nGive a prediction log (JSONL), JSON Lines of {\"text\": ...} or a CSV with a 'text' column"
                    + " (optional 'timestamp' and 'label').");
            throw new IllegalArgumentException(sb.toString());
        }
        return t;
    }

    private static TrafficFile jsonl(Path file, List<String> raw) {
        List<Line> lines = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            int number = i + 1;
            String s = raw.get(i);
            if (s.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(s);
            } catch (JacksonException e) {
                problems.add(new Problem(number, "not a JSON object (" + e.getOriginalMessage() + ")"));
                continue;
            }
            if (node == null || !node.isObject()) {
                problems.add(new Problem(number, "not a JSON object"));
                continue;
            }
            try {
                String text;
                if (node.has("text")) {
                    text = string(node.get("text"), "text");
                } else if (node.has("input")) {
                    // a prediction-log line
                    if (node.hasNonNull("function") && !"sentiment".equals(node.get("function").asText())) {
                        problems.add(new Problem(number, "a prediction of function '" + node.get("function").asText()
                                + "', not sentiment"));
                        continue;
                    }
                    if (node.get("input").isNull()) {
                        throw new IllegalArgumentException("the input is redacted (bulwark.prediction-log.redact-inputs)"
                                + ": nothing to replay");
                    }
                    JsonNode input = JSON.readTree(string(node.get("input"), "input"));
                    if (input == null || !input.has("text")) {
                        throw new IllegalArgumentException("\"input\" has no \"text\"");
                    }
                    text = string(input.get("text"), "input.text");
                } else {
                    throw new IllegalArgumentException("no \"text\" (nor a prediction log's \"input\")");
                }
                Optional<Instant> at = node.hasNonNull("timestamp")
                        ? Optional.of(instant(node.get("timestamp").asText())) : Optional.empty();
                Optional<SentimentLabel> label = node.hasNonNull("label")
                        ? Optional.of(label(node.get("label").asText())) : Optional.empty();
                lines.add(new Line(number, text, at, label));
            } catch (IllegalArgumentException | JacksonException e) {
                problems.add(new Problem(number, e instanceof JacksonException j ? "\"input\" is not JSON ("
                        + j.getOriginalMessage() + ")" : e.getMessage()));
            }
        }
        return new TrafficFile(file, lines, problems);
    }

    private static TrafficFile csv(Path file, List<String> raw) {
        List<Line> lines = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        if (raw.isEmpty()) {
            return new TrafficFile(file, lines, List.of(new Problem(1, "the file is empty: a header row naming a "
                    + "'text' column comes first")));
        }
        List<String> header;
        try {
            header = fields(raw.getFirst()).stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
        } catch (IllegalArgumentException e) {
            return new TrafficFile(file, lines, List.of(new Problem(1, "header: " + e.getMessage())));
        }
        int text = header.indexOf("text");
        int timestamp = header.indexOf("timestamp");
        int label = header.indexOf("label");
        if (text < 0) {
            return new TrafficFile(file, lines, List.of(new Problem(1, "the header " + header
                    + " has no 'text' column")));
        }
        for (int i = 1; i < raw.size(); i++) {
            int number = i + 1;
            if (raw.get(i).isBlank()) {
                continue;
            }
            try {
                List<String> f = fields(raw.get(i));
                if (f.size() != header.size()) {
                    throw new IllegalArgumentException(f.size() + " fields where the header has " + header.size());
                }
                Optional<Instant> at = timestamp >= 0 && !f.get(timestamp).isBlank()
                        ? Optional.of(instant(f.get(timestamp).strip())) : Optional.empty();
                Optional<SentimentLabel> l = label >= 0 && !f.get(label).isBlank()
                        ? Optional.of(label(f.get(label).strip())) : Optional.empty();
                if (f.get(text).isBlank()) {
                    throw new IllegalArgumentException("the text is empty");
                }
                lines.add(new Line(number, f.get(text), at, l));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(number, e.getMessage()));
            }
        }
        return new TrafficFile(file, lines, problems);
    }

    /** The fields of one CSV record (RFC 4180 quoting; a quoted field may not span lines). */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"' && f.isEmpty() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                out.add(f.toString());
                f.setLength(0);
                wasQuoted = false;
            } else {
                f.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("a quoted field is not closed on its line (quoted line breaks are not "
                    + "supported)");
        }
        out.add(f.toString());
        return out;
    }

    private static String string(JsonNode n, String field) {
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string");
        }
        if (n.asText().isBlank()) {
            throw new IllegalArgumentException("\"" + field + "\" is empty");
        }
        return n.asText();
    }

    private static Instant instant(String s) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("timestamp '" + s + "' is not an ISO-8601 instant like "
                    + "2026-11-29T10:00:00Z");
        }
    }

    private static SentimentLabel label(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "1" -> SentimentLabel.POSITIVE;
            case "0" -> SentimentLabel.NEGATIVE;
            default -> SentimentLabel.fromProvider(s.strip().toLowerCase(Locale.ROOT))
                    .orElseThrow(() -> new IllegalArgumentException("label '" + s + "' is not positive, negative, "
                            + "neutral, 1 or 0"));
        };
    }

    /** Returns the file. */
    public Path path() {
        return path;
    }

    /** Returns the lines to replay, in the file's order. */
    public List<Line> lines() {
        return lines;
    }

    /** Returns the lines skipped, with their line numbers and why. */
    public List<Problem> problems() {
        return problems;
    }
}
