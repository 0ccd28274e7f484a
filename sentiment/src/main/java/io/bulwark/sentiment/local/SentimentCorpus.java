package io.bulwark.sentiment.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Loads the bundled UCI Sentiment Labelled Sentences (see {@code data/sentiment/NOTICE.md}): JSON arrays of
 * {@code {"text": "...", "class": 0|1}}. Rows with a {@code null} class or a blank text (each file ends with
 * one) are skipped. A small hand parser keeps this free of any JSON library.
 */
public final class SentimentCorpus {

    /** The classpath directory holding the data files. */
    public static final String RESOURCE_DIRECTORY = "/data/sentiment/";
    /** The files the default model is trained on. */
    public static final List<String> TRAINING_FILES = List.of("yelp.json", "imdb.json");
    /** The held-out file: only ever used to evaluate, never to train or tune. */
    public static final String HELD_OUT_FILE = "amazon.json";

    private SentimentCorpus() {
    }

    /** Returns the training sentences: yelp then imdb, in file order. */
    public static List<LabelledText> training() {
        List<LabelledText> all = new ArrayList<>();
        for (String file : TRAINING_FILES) {
            all.addAll(load(file));
        }
        return Collections.unmodifiableList(all);
    }

    /**
     * Returns the SHA-256 (hex) of the training files' bytes, in {@link #TRAINING_FILES} order: the data hash a
     * shipped model records, so a model trained on other data is recognised as such.
     */
    public static String trainingSha256() {
        try {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            for (String file : TRAINING_FILES) {
                String resource = RESOURCE_DIRECTORY + file;
                try (InputStream in = SentimentCorpus.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new IllegalStateException("sentiment data not found on the classpath: " + resource);
                    }
                    digest.update(in.readAllBytes());
                }
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sentiment training data", e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the held-out evaluation sentences (amazon). */
    public static List<LabelledText> heldOut() {
        return load(HELD_OUT_FILE);
    }

    /** Loads one file of {@link #RESOURCE_DIRECTORY} from the classpath. */
    public static List<LabelledText> load(String fileName) {
        Objects.requireNonNull(fileName, "fileName");
        String resource = RESOURCE_DIRECTORY + fileName;
        try (InputStream in = SentimentCorpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("sentiment data not found on the classpath: " + resource);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("malformed sentiment data in " + resource + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a JSON array of {@code {"text": string, "class": 0|1|null}} objects; other members are ignored
     * if they are strings, numbers, booleans or null.
     *
     * @throws IllegalArgumentException if the JSON is malformed or a class is neither 0, 1 nor null
     */
    public static List<LabelledText> parse(String json) {
        return Collections.unmodifiableList(new Parser(json).parseArray());
    }

    private static final class Parser {
        // A char array rather than String.charAt: far cheaper while the parser still runs interpreted.
        private final char[] s;
        private final int length;
        private int pos;

        Parser(String json) {
            this.s = Objects.requireNonNull(json, "json").toCharArray();
            this.length = s.length;
        }

        List<LabelledText> parseArray() {
            List<LabelledText> rows = new ArrayList<>();
            skipWhitespace();
            if (pos < length && s[pos] == '\uFEFF') {
                pos++;
                skipWhitespace();
            }
            expect('[');
            skipWhitespace();
            if (peek() == ']') {
                pos++;
            } else {
                while (true) {
                    LabelledText row = parseRow();
                    if (row != null) {
                        rows.add(row);
                    }
                    skipWhitespace();
                    char c = next();
                    if (c == ']') {
                        break;
                    }
                    if (c != ',') {
                        throw error("expected ',' or ']'");
                    }
                }
            }
            skipWhitespace();
            if (pos != length) {
                throw error("trailing content after the array");
            }
            return rows;
        }

        private LabelledText parseRow() {
            skipWhitespace();
            expect('{');
            String text = null;
            Integer label = null;
            boolean sawClass = false;
            skipWhitespace();
            if (peek() == '}') {
                pos++;
            } else {
                while (true) {
                    skipWhitespace();
                    String name = parseString();
                    skipWhitespace();
                    expect(':');
                    skipWhitespace();
                    switch (name) {
                        case "text" -> text = parseString();
                        case "class" -> {
                            sawClass = true;
                            label = parseClass();
                        }
                        default -> skipScalar();
                    }
                    skipWhitespace();
                    char c = next();
                    if (c == '}') {
                        break;
                    }
                    if (c != ',') {
                        throw error("expected ',' or '}'");
                    }
                }
            }
            if (text == null || !sawClass) {
                throw error("row without \"text\" or \"class\"");
            }
            if (label == null || text.isBlank()) {
                return null;
            }
            return label == 1 ? LabelledText.positive(text) : LabelledText.negative(text);
        }

        private Integer parseClass() {
            if (startsWith("null")) {
                pos += 4;
                return null;
            }
            int start = pos;
            while (pos < length && "0123456789.+-eE".indexOf(s[pos]) >= 0) {
                pos++;
            }
            String number = new String(s, start, pos - start);
            return switch (number) {
                case "0" -> 0;
                case "1" -> 1;
                default -> throw error("class must be 0, 1 or null, not '" + number + "'");
            };
        }

        private void skipScalar() {
            char c = peek();
            if (c == '"') {
                parseString();
            } else if (startsWith("null") || startsWith("true")) {
                pos += 4;
            } else if (startsWith("false")) {
                pos += 5;
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                while (pos < length && "0123456789.+-eE".indexOf(s[pos]) >= 0) {
                    pos++;
                }
            } else {
                throw error("unsupported value");
            }
        }

        private String parseString() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                int start = pos;
                while (pos < length) {
                    char c = s[pos];
                    if (c == '"' || c == '\\' || c < 0x20) {
                        break;
                    }
                    pos++;
                }
                out.append(s, start, pos - start);
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    pos--;
                    throw error("control character in string");
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > length) {
                            throw error("truncated \\u escape");
                        }
                        try {
                            out.append((char) Integer.parseInt(new String(s, pos, 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        private boolean startsWith(String literal) {
            if (pos + literal.length() > length) {
                return false;
            }
            for (int i = 0; i < literal.length(); i++) {
                if (s[pos + i] != literal.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private void skipWhitespace() {
            while (pos < length) {
                char c = s[pos];
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        private char peek() {
            if (pos >= length) {
                throw error("unexpected end of input");
            }
            return s[pos];
        }

        private char next() {
            char c = peek();
            pos++;
            return c;
        }

        private void expect(char c) {
            if (next() != c) {
                pos--;
                throw error("expected '" + c + "'");
            }
        }

        private IllegalArgumentException error(String message) {
            return new IllegalArgumentException(message + " at offset " + pos);
        }
    }
}
