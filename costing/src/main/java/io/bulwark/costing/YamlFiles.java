package io.bulwark.costing;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/** Reads the YAML files users edit (prices, cost scenarios): plain data only, syntax errors in one line. */
public final class YamlFiles {

    private YamlFiles() {
    }

    /**
     * Returns the document as maps, lists and scalars (no custom types).
     *
     * @throws IllegalArgumentException "not valid YAML: <problem> (line L, column C)" for a syntax error (SnakeYAML's
     *                                  own message runs over several lines with a caret diagram)
     */
    public static Object load(String yaml) {
        try {
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            String what = e instanceof MarkedYAMLException m && m.getProblem() != null ? m.getProblem()
                    : String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            Mark mark = e instanceof MarkedYAMLException m ? m.getProblemMark() : null;
            throw new IllegalArgumentException("not valid YAML: " + what + (mark == null ? ""
                    : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")"), e);
        }
    }
}
