package io.bulwark.costing;

import io.bulwark.costing.platform.ContainerPrice;
import io.bulwark.costing.platform.FunctionPrice;
import io.bulwark.costing.platform.GatewayPrice;
import io.bulwark.costing.platform.PlatformPrices;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the price file format:
 * <pre>
 * version: "2026-11.1"          # any string; reports print it
 * effective: 2026-11-23          # the date the prices apply from
 * unit: per_million_tokens       # or per_thousand_tokens
 * models:
 *   gpt-4o: {input: 2.50, cached_input: 1.25, output: 10.00}
 *   gpt-4:  {input: 30.00, output: 60.00, batch_discount: 0.5}
 * platforms:                     # optional; the simulator lends the built-in ones to a file without them
 *   functions:  {aws-lambda-arm64: {gb_second: 0.0000133334, per_million_requests: 0.20, minimum_ms: 1,
 *                                   step_ms: 1, minimum_memory_mb: 128, memory_step_mb: 1}}
 *   gateways:   {aws-api-gateway-http: {per_million_requests: 1.00}}
 *   containers: {aws-fargate-arm64: {vcpu_hour: 0.03238, gb_hour: 0.00356}}
 * </pre>
 * Unknown keys are errors, so a typo cannot silently price a model at zero.
 */
final class PriceFile {

    private static final Set<String> TOP = Set.of("version", "effective", "unit", "currency", "models", "platforms");
    private static final Set<String> PLATFORMS = Set.of("functions", "gateways", "containers");
    private static final Set<String> FUNCTION = Set.of("gb_second", "per_million_requests", "minimum_ms", "step_ms",
            "minimum_memory_mb", "memory_step_mb", "note");
    private static final Set<String> GATEWAY = Set.of("per_million_requests", "note");
    private static final Set<String> CONTAINER = Set.of("vcpu_hour", "gb_hour", "note");
    private static final Set<String> MODEL = Set.of("input", "output", "cached_input", "batch_discount", "note");

    private PriceFile() {
    }

    static PriceTable parse(String yaml, String origin) {
        try {
            Object root = YamlFiles.load(yaml);
            Map<String, Object> top = map(root, "the file");
            unknownKeys(top, TOP, "the file");
            String version = string(require(top, "version", "the file"));
            LocalDate effective = date(require(top, "effective", "the file"));
            Object currency = top.getOrDefault("currency", "USD");
            if (!"USD".equals(currency)) {
                throw new IllegalArgumentException("currency must be USD, not " + currency);
            }
            double scale = switch (string(top.getOrDefault("unit", "per_million_tokens"))) {
                case "per_million_tokens" -> 1.0;
                case "per_thousand_tokens" -> 1000.0;
                default -> throw new IllegalArgumentException(
                        "unit must be per_million_tokens or per_thousand_tokens, not " + top.get("unit"));
            };
            Map<String, Object> models = map(require(top, "models", "the file"), "models");
            if (models.isEmpty()) {
                throw new IllegalArgumentException("models must name at least one model");
            }
            Map<String, Price> prices = new LinkedHashMap<>();
            Map<String, Double> batch = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : models.entrySet()) {
                String where = "model " + e.getKey();
                Map<String, Object> m = map(e.getValue(), where);
                unknownKeys(m, MODEL, where);
                double in = number(require(m, "input", where), where + " input") * scale;
                double out = number(require(m, "output", where), where + " output") * scale;
                double cached = m.containsKey("cached_input")
                        ? number(m.get("cached_input"), where + " cached_input") * scale : in;
                if (m.containsKey("batch_discount")) {
                    double discount = number(m.get("batch_discount"), where + " batch_discount");
                    if (!(discount >= 0 && discount < 1)) {
                        throw new IllegalArgumentException(where + " batch_discount must be within 0..1 (0.5 halves "
                                + "the price): " + discount);
                    }
                    batch.put(e.getKey(), discount);
                }
                try {
                    prices.put(e.getKey(), new Price(in, out, cached));
                } catch (IllegalArgumentException bad) {
                    throw new IllegalArgumentException(where + ": " + bad.getMessage(), bad);
                }
            }
            PlatformPrices platforms = top.containsKey("platforms")
                    ? platforms(map(top.get("platforms"), "platforms")) : PlatformPrices.NONE;
            return new PriceTable(prices, version, effective, origin, platforms, batch);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad price file " + origin + ": " + e.getMessage(), e);
        }
    }

    /** The platform prices: US dollars per GB-second, per million requests, per vCPU-hour and GB-hour. */
    private static PlatformPrices platforms(Map<String, Object> p) {
        unknownKeys(p, PLATFORMS, "platforms");
        Map<String, FunctionPrice> functions = new LinkedHashMap<>();
        map(p.getOrDefault("functions", Map.of()), "platforms.functions").forEach((name, v) -> {
            String where = "platforms.functions." + name;
            Map<String, Object> m = map(v, where);
            unknownKeys(m, FUNCTION, where);
            try {
                functions.put(name, new FunctionPrice(name, number(require(m, "gb_second", where), where + " gb_second"),
                        number(require(m, "per_million_requests", where), where + " per_million_requests"),
                        (long) number(m.getOrDefault("minimum_ms", 1), where + " minimum_ms"),
                        (long) number(m.getOrDefault("step_ms", 1), where + " step_ms"),
                        (int) number(m.getOrDefault("minimum_memory_mb", 128), where + " minimum_memory_mb"),
                        (int) number(m.getOrDefault("memory_step_mb", 1), where + " memory_step_mb")));
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(where + ": " + bad.getMessage(), bad);
            }
        });
        Map<String, GatewayPrice> gateways = new LinkedHashMap<>();
        map(p.getOrDefault("gateways", Map.of()), "platforms.gateways").forEach((name, v) -> {
            String where = "platforms.gateways." + name;
            Map<String, Object> m = map(v, where);
            unknownKeys(m, GATEWAY, where);
            gateways.put(name, new GatewayPrice(name,
                    number(require(m, "per_million_requests", where), where + " per_million_requests")));
        });
        Map<String, ContainerPrice> containers = new LinkedHashMap<>();
        map(p.getOrDefault("containers", Map.of()), "platforms.containers").forEach((name, v) -> {
            String where = "platforms.containers." + name;
            Map<String, Object> m = map(v, where);
            unknownKeys(m, CONTAINER, where);
            containers.put(name, new ContainerPrice(name, number(require(m, "vcpu_hour", where), where + " vcpu_hour"),
                    number(require(m, "gb_hour", where), where + " gb_hour")));
        });
        return new PlatformPrices(functions, gateways, containers);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String where) {
        if (!(o instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(where + " must be a mapping");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static Object require(Map<String, Object> m, String key, String where) {
        Object v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException(where + " lacks '" + key + "'");
        }
        return v;
    }

    private static void unknownKeys(Map<String, Object> m, Set<String> known, String where) {
        for (String k : m.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException(where + " has an unknown key '" + k + "' (known: "
                        + List.copyOf(new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    private static String string(Object o) {
        return String.valueOf(o);
    }

    private static double number(Object o, String where) {
        if (!(o instanceof Number n)) {
            throw new IllegalArgumentException(where + " must be a number, not '" + o + "'");
        }
        return n.doubleValue();
    }

    private static LocalDate date(Object o) {
        if (o instanceof Date d) {
            return d.toInstant().atZone(ZoneOffset.UTC).toLocalDate();
        }
        try {
            return LocalDate.parse(String.valueOf(o));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("effective must be a date like 2026-11-23, not '" + o + "'");
        }
    }
}
