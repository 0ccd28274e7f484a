package io.bulwark.models.input;

import tools.jackson.core.JacksonException;

/**
 * What is wrong with a JSON body, in the caller's terms: Jackson's message without its own vocabulary (the Java type
 * it was binding, the feature flags that would have allowed it), plus the line and column.
 */
public final class JsonSyntax {

    private JsonSyntax() {
    }

    /** Returns the sentence for a syntax error, e.g. {@code Unexpected end-of-input (line 1, column 9)}. */
    public static String describe(JacksonException e) {
        String what = e.getOriginalMessage();
        int cut = what.indexOf('\n');
        what = cut < 0 ? what : what.substring(0, cut);
        if (what.startsWith("Trailing token")) {
            what = "unexpected content after the JSON value";
        }
        what = what.replaceAll(" ?\\(bound as `[^`]*`\\)", "")
                .replaceAll(":? ?(enable|not allowed as per) `[^`]*`( to allow)?", "")
                // the limits' getters (", from `StreamReadConstraints.getMaxNestingDepth()`")
                .replaceAll(", from `[^`]*`", "")
                // where an unclosed object or array began, as Jackson prints a location without its source
                // ("(for Object starting at [Source: REDACTED (`StreamReadFeature...` disabled); byte offset: #UNKNOWN])")
                .replaceAll(" ?\\((for (Object|Array) starting|start marker) at \\[Source: [^\\]]*\\]\\)", "")
                .replaceAll("\\[Source: [^\\]]*\\]", "the body")
                .strip();
        if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
            what += " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        }
        return what;
    }
}
