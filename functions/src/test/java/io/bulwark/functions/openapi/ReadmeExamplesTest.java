package io.bulwark.functions.openapi;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's example answers conform to openapi.json: each {@code ```json} block right after a {@code ```bash}
 * block that curls one function, and each one-line {@code #  {...}} answer (a line ending in a brace) under a curl inside a bash block, is
 * validated against the schema of its path (200, or the error body when it is a refusal). Examples shortened with
 * {@code ...} are not JSON and are left out; every other one must parse.
 */
class ReadmeExamplesTest {

    private static final Pattern CURL = Pattern.compile("curl .*localhost:8080(/[A-Za-z0-9_./-]+)");
    private static final Pattern CURL_METHOD = Pattern.compile("-X (\\w+)");

    private final OpenApiDocument doc = OpenApiDocument.load();
    private final JsonMapper json = JsonMapper.builder().build();

    /** One example answer and the request it answers. */
    record Example(int line, String method, String path, String body) {
    }

    @Test
    void should_validate_every_example_answer_of_a_function_against_the_document() throws IOException {
        List<Example> examples = examples(Files.readAllLines(Path.of("..", "README.md")));
        Set<String> covered = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (Example e : examples) {
            JsonNode body;
            try {
                body = json.readTree(e.body());
            } catch (JacksonException ex) {
                problems.add("README.md:" + e.line() + " is not JSON: " + ex.getOriginalMessage());
                continue;
            }
            // A function that accepts work for later (POST /tune) answers 202, not 200.
            int ok = doc.statuses(e.method(), e.path()).contains(200) ? 200 : 202;
            // A refusal has an error code (a job answer has "error": null; an inference answer has "model_name").
            List<String> errors = body.path("error").isString() && !body.has("model_name") ? asRefusal(e, body)
                    : doc.validate(e.method(), e.path(), ok, body);
            if (!errors.isEmpty()) {
                problems.add("README.md:" + e.line() + " " + e.method() + " " + e.path() + ": " + errors);
            }
            covered.add(e.path());
        }

        assertThat(problems).isEmpty();
        assertThat(covered).as("functions with a README example validated")
                .contains("/sentiment", "/predict", "/predict_batch", "/train", "/promote", "/rollback", "/v2",
                        "/v2/models/{name}", "/v2/models/{name}/infer", "/v2/models/{name}/versions/{version}/infer");
        assertThat(examples).as("examples validated").hasSizeGreaterThanOrEqualTo(10);
    }

    /** A refusal is valid when one of the error statuses its path lists accepts it. */
    private List<String> asRefusal(Example e, JsonNode body) {
        List<String> last = List.of(e.method() + " " + e.path() + " lists no error status");
        for (int status : doc.statuses(e.method(), e.path())) {
            if (status >= 400) {
                last = doc.validate(e.method(), e.path(), status, body);
                if (last.isEmpty()) {
                    return last;
                }
            }
        }
        return last;
    }

    private List<Example> examples(List<String> lines) {
        List<Example> out = new ArrayList<>();
        String lang = null;       // of the open block, null outside blocks
        int start = 0;            // its first line
        String[] afterCurl = null; // the one curl of the bash block that closed on the line before this block opened
        String[] bashCurl = null; // the one curl of the last bash block closed
        String[] pending = null;  // the last curl seen in the open bash block, awaiting a "#  {" answer
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith("```")) {
                if ("bash".equals(lang)) {
                    String[] curl = curl(line);
                    if (curl != null) {
                        pending = curl;
                    } else if (pending != null && line.startsWith("#  {") && line.endsWith("}") && !line.contains("...")) {
                        out.add(new Example(i + 1, pending[0], pending[1], line.substring(3)));
                        pending = null;
                    }
                }
                continue;
            }
            if (lang == null) {
                lang = line.substring(3).strip();
                start = i + 1;
                afterCurl = i > 0 && lines.get(i - 1).equals("```") ? bashCurl : null;
                pending = null;
            } else {
                String body = String.join("\n", lines.subList(start, i));
                if (lang.equals("json") && afterCurl != null && !body.contains("...")) {
                    out.add(new Example(start, afterCurl[0], afterCurl[1], body));
                }
                bashCurl = lang.equals("bash") ? curlOf(lines.subList(start, i)) : null;
                lang = null;
            }
        }
        return out;
    }

    /** The function a bash block curls, when it curls exactly one (a block of many has its answers in comments). */
    private String[] curlOf(List<String> block) {
        List<String[]> curls = block.stream().map(this::curl).filter(c -> c != null).toList();
        return curls.size() == 1 ? curls.getFirst() : null;
    }

    private String[] curl(String line) {
        Matcher m = CURL.matcher(line);
        if (!m.find()) {
            return null;
        }
        String path = doc.pathOf(m.group(1));
        if (path == null) {
            return null;
        }
        Matcher x = CURL_METHOD.matcher(line);
        String method = x.find() ? x.group(1) : doc.root().path("paths").path(path).propertyNames().iterator().next()
                .toUpperCase(java.util.Locale.ROOT);
        return new String[]{method, path};
    }
}
