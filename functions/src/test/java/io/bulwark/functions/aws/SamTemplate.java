package io.bulwark.functions.aws;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The repository's {@code template.yaml}, parsed. CloudFormation's short-form functions ({@code !Ref x},
 * {@code !If [...]}) become their long form ({@code {Ref: x}}, {@code {Fn::If: [...]}}), as
 * CloudFormation itself reads them.
 */
final class SamTemplate {

    static final Path PATH = Path.of("..", "template.yaml");

    private SamTemplate() {
    }

    static Map<String, Object> load() throws IOException {
        try (Reader reader = Files.newBufferedReader(PATH)) {
            return new Yaml(new CloudFormationConstructor()).load(reader);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String... keys) {
        Object at = node;
        for (String key : keys) {
            at = ((Map<String, Object>) at).get(key);
            if (at == null) {
                return null;
            }
        }
        return (Map<String, Object>) at;
    }

    /** The template's resources of one type, by logical id. */
    static Map<String, Map<String, Object>> resources(Map<String, Object> template, String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        map(template, "Resources").forEach((id, r) -> {
            if (type.equals(map(r).get("Type"))) {
                found.put(id, map(r, "Properties"));
            }
        });
        return found;
    }

    /** The literal (string) environment variables of a function; intrinsic functions are left out. */
    static Map<String, String> literalEnvironment(Map<String, Object> function) {
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, Object> variables = map(function, "Environment", "Variables");
        if (variables != null) {
            variables.forEach((k, v) -> {
                if (v instanceof String s) {
                    env.put(k, s);
                }
            });
        }
        return env;
    }

    private static final class CloudFormationConstructor extends SafeConstructor {

        CloudFormationConstructor() {
            super(new LoaderOptions());
            yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String tag = node.getTag().getValue().substring(1);
                    String name = tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag;
                    Object value = switch (node) {
                        case ScalarNode s -> constructScalar(s);
                        case SequenceNode s -> constructSequence(s);
                        case MappingNode m -> constructMapping(m);
                        default -> throw new IllegalArgumentException("unexpected YAML node " + node);
                    };
                    return Map.of(name, value instanceof List<?> l ? List.copyOf(l) : value);
                }
            });
        }
    }
}
