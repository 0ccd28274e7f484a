package io.bulwark.models.input;

import tools.jackson.core.JacksonException;

/** The caller's description of a JSON syntax error, shared by every function that reads a JSON body. */
public final class JsonSyntax {

    private JsonSyntax() {
    }

    /**
     * What is wrong with a body, in the caller's terms: Jackson's message without its own vocabulary (the
     * Java type it was binding, the feature flags that would have allowed it), plus the line and column.
     */
    public static String describe(JacksonException e) {
        String what = e.getOriginalMessage();
        int cut = what.indexOf('\n');
        what = cut < 0 ? what : what.substring(0, cut);
        if (what.startsWith("Trailing token")) {
            what = "unexpected content after the JSON value";
        }
        what = what.replaceAll(" ?\\(bound as `[^`]*`\\)", "")
                .replaceAll(":? ?(enable|not allowed as per) `[^`]*`( to allow)?", "")
                .strip();
        if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
            what += " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        }
        return what;
    }
}
