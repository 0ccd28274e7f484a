package io.bulwark.models.input;

import io.bulwark.resilience.failure.RequestRejected;

import java.util.Locale;

/**
 * The body formats the classifier reads, and how one is recognised: from the {@code Content-Type} when it
 * names one, else (missing, {@code text/plain}, {@code application/octet-stream}, wildcards) from the body's
 * first non-blank character: {@code {} or {@code [} is JSON, {@code <} is XML, anything else CSV.
 */
public enum InputFormat {
    JSON, CSV, XML;

    /** {@code type/subtype} in RFC 9110's token characters (parameters already cut off). */
    private static final java.util.regex.Pattern MEDIA_TYPE =
            java.util.regex.Pattern.compile("[a-z0-9!#$%&'*+.^_`|~-]+/[a-z0-9!#$%&'*+.^_`|~-]+");

    /** Returns the format of a body; throws 415 for a content type that names another format, 400 for no body. */
    public static InputFormat detect(Object contentType, byte[] body) {
        if (body == null || firstSignificant(body) < 0) {
            throw new RequestRejected("missing_body", "body", "the request body is empty: send JSON, CSV (with a header row) or XML");
        }
        InputFormat declared = declared(contentType);
        return declared != null ? declared : sniff(body);
    }

    private static InputFormat declared(Object value) {
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        String type = value.toString();
        int semicolon = type.indexOf(';');
        String essence = (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        int slash = essence.indexOf('/');
        if (!MEDIA_TYPE.matcher(essence).matches()) {
            throw unsupported(type);
        }
        String t = essence.substring(0, slash);
        String sub = essence.substring(slash + 1);
        if ("application".equals(t) && ("json".equals(sub) || sub.endsWith("+json"))) {
            return JSON;
        }
        if (("text".equals(t) || "application".equals(t)) && "csv".equals(sub)) {
            return CSV;
        }
        if (("text".equals(t) || "application".equals(t)) && ("xml".equals(sub) || sub.endsWith("+xml"))) {
            return XML;
        }
        boolean generic = "*".equals(t) || "*".equals(sub) || "text".equals(t) && "plain".equals(sub)
                || "application".equals(t) && "octet-stream".equals(sub);
        if (generic) {
            return null;
        }
        throw unsupported(essence);
    }

    private static RequestRejected unsupported(String type) {
        // Form bodies are refused rather than sniffed: the servlet layer has already re-encoded them as
        // form parameters (curl -d sends this type unless told otherwise).
        return new RequestRejected(415, "unsupported_media_type", "Content-Type", "the Content-Type '" + type
                + "' is not supported: send application/json, text/csv or application/xml (or text/plain to have it"
                + " detected)" + (type.contains("x-www-form-urlencoded") ? "; with curl -d, add -H 'Content-Type: ...'" : ""));
    }

    static InputFormat sniff(byte[] body) {
        int i = firstSignificant(body);
        return switch (body[i]) {
            case '{', '[' -> JSON;
            case '<' -> XML;
            default -> CSV;
        };
    }

    /** Returns the index of the first byte that is not white space or a UTF-8 byte-order mark, or -1. */
    static int firstSignificant(byte[] body) {
        int i = body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF ? 3 : 0;
        for (; i < body.length; i++) {
            byte b = body[i];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return i;
            }
        }
        return -1;
    }
}
