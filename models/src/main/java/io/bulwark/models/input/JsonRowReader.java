package io.bulwark.models.input;

import io.bulwark.resilience.failure.RequestRejected;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.HashMap;
import java.util.Map;

/**
 * JSON rows with Jackson's streaming parser: the array is walked token by token and only the current element
 * becomes a tree.
 */
final class JsonRowReader implements RowReader {

    /** A row naming a field twice is ambiguous: refused, as for every JSON body. */
    private static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final JsonParser parser;
    private final boolean many;
    /** JSON lines: a sequence of root-level objects (one a line, or any white space between them). */
    private final boolean lines;
    private JsonToken pending;
    private int index;
    private boolean done;

    JsonRowReader(byte[] body, boolean many) {
        this(JSON.createParser(body), many, false);
    }

    JsonRowReader(java.io.InputStream body, boolean many) {
        this(JSON.createParser(body), many, false);
    }

    /** Reads JSON lines: root-level values one after another, each a row. */
    static JsonRowReader lines(java.io.InputStream body) {
        return new JsonRowReader(JSON.createParser(body), true, true);
    }

    private JsonRowReader(JsonParser parser, boolean many, boolean lines) {
        this.many = many;
        this.lines = lines;
        this.parser = parser;
        JsonToken first = token();
        if (lines) {
            pending = first;
            return;
        }
        if (many && first != JsonToken.START_ARRAY) {
            throw new RequestRejected("invalid_type", "body", "the body of a batch must be a JSON array of objects, not "
                    + describe(first));
        }
        if (!many && first != JsonToken.START_OBJECT) {
            throw new RequestRejected("invalid_type", "body", "the request body must be a JSON object, not " + describe(first));
        }
    }

    @Override
    public Row next() {
        if (done) {
            return null;
        }
        if (lines) {
            JsonToken t = pending != null ? pending : token();
            pending = null;
            if (t == null) {
                done = true;
                return null;
            }
            int i = index++;
            if (t != JsonToken.START_OBJECT) {
                if (t == JsonToken.START_ARRAY) {
                    skip();
                }
                return new Row(i, null, new RequestRejected("invalid_type", "row", "row " + i
                        + " must be a JSON object, not " + describe(t)));
            }
            return new Row(i, fields(tree()), null);
        }
        if (!many) {
            done = true;
            JsonNode node = tree();
            trailing();
            return new Row(index++, fields(node), null);
        }
        JsonToken t = token();
        if (t == JsonToken.END_ARRAY) {
            done = true;
            trailing();
            return null;
        }
        int i = index++;
        if (t != JsonToken.START_OBJECT) {
            if (t == JsonToken.START_ARRAY) {
                skip();
            }
            return new Row(i, null, new RequestRejected("invalid_type", "row", "row " + i
                    + " must be a JSON object, not " + describe(t)));
        }
        return new Row(i, fields(tree()), null);
    }

    private JsonNode tree() {
        try {
            return parser.readValueAsTree();
        } catch (JacksonException e) {
            throw malformed(e);
        }
    }

    /** Skips the array the parser is on; a syntax error inside it (or nesting past the limit) is the whole body's. */
    private void skip() {
        try {
            parser.skipChildren();
        } catch (JacksonException e) {
            throw malformed(e);
        }
    }

    private String location() {
        var l = parser.currentLocation();
        return "line " + l.getLineNr() + ", column " + l.getColumnNr();
    }

    private static Map<String, JsonNode> fields(JsonNode object) {
        Map<String, JsonNode> fields = new HashMap<>();
        object.properties().forEach(e -> fields.put(e.getKey(), e.getValue()));
        return fields;
    }

    private void trailing() {
        JsonToken after = token();
        if (after != null) {
            throw new RequestRejected("malformed_json", "body", "unexpected content after the JSON value ("
                    + location() + ")");
        }
    }

    private JsonToken token() {
        try {
            return parser.nextToken();
        } catch (JacksonException e) {
            throw malformed(e);
        }
    }

    private static RequestRejected malformed(JacksonException e) {
        return new RequestRejected("malformed_json", "body", "the request body is not valid JSON: "
                + JsonSyntax.describe(e));
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.name();
        };
    }

    @Override
    public void close() {
        parser.close();
    }
}
