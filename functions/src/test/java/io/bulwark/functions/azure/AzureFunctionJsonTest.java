package io.bulwark.functions.azure;

import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.bulwark.functions.TestEndpoints;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written {@code host.json} and {@code function.json} (the Azure Maven plugin, which would
 * generate them, does not resolve here) say what the handler's annotations say, and expose every
 * method the application's functions take.
 */
class AzureFunctionJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path AZURE = Path.of("src", "main", "azure");

    private static JsonNode read(Path path) throws Exception {
        return JSON.readTree(Files.readString(path));
    }

    private static Method handler() {
        return Arrays.stream(AzureHttpFunction.class.getMethods())
                .filter(m -> m.isAnnotationPresent(FunctionName.class)).findFirst().orElseThrow();
    }

    private static HttpTrigger trigger() {
        return Arrays.stream(handler().getParameters()).map(p -> p.getAnnotation(HttpTrigger.class))
                .filter(a -> a != null).findFirst().orElseThrow();
    }

    @Test
    void should_bind_the_annotated_handler_in_a_folder_named_after_it() throws Exception {
        String name = handler().getAnnotation(FunctionName.class).value();
        JsonNode function = read(AZURE.resolve(name).resolve("function.json"));

        assertThat(function.path("entryPoint").asString())
                .isEqualTo(AzureHttpFunction.class.getName() + "." + handler().getName());
        assertThat(function.path("scriptFile").asString()).isEqualTo("../bulwark-functions.jar");
    }

    @Test
    void should_declare_the_trigger_the_annotation_declares() throws Exception {
        JsonNode in = read(AZURE.resolve(AzureHttpFunction.NAME).resolve("function.json")).path("bindings").get(0);
        HttpTrigger trigger = trigger();

        assertThat(in.path("type").asString()).isEqualTo("httpTrigger");
        assertThat(in.path("direction").asString()).isEqualTo("in");
        assertThat(in.path("name").asString()).isEqualTo(trigger.name());
        assertThat(in.path("dataType").asString()).isEqualTo(trigger.dataType());
        assertThat(in.path("route").asString()).isEqualTo(trigger.route());
        assertThat(in.path("authLevel").asString()).isEqualToIgnoringCase(trigger.authLevel().name());
        List<String> methods = new ArrayList<>();
        in.path("methods").forEach(m -> methods.add(m.asString()));
        assertThat(methods).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(trigger.methods()).map(Enum::name).toList());
    }

    @Test
    void should_route_every_path_to_the_handler_through_one_catch_all_parameter() {
        // {*path} takes any number of segments, so /v2/models/{name}/infer reaches the dispatcher like /predict.
        String route = trigger().route();
        List<String> bound = Arrays.stream(handler().getParameters()).map(p -> p.getAnnotation(BindingName.class))
                .filter(b -> b != null).map(BindingName::value).toList();

        assertThat(bound).hasSize(1);
        assertThat(route).isEqualTo("{*" + bound.getFirst() + "}");
    }

    @Test
    void should_accept_every_method_the_functions_take() {
        List<String> methods = Arrays.stream(trigger().methods()).map(Enum::name).toList();

        TestEndpoints.all().forEach(e -> assertThat(methods).as(e.toString()).contains(e.method()));
    }

    @Test
    void should_serve_functions_at_the_root_like_the_local_runner() throws Exception {
        JsonNode host = read(AZURE.resolve("host.json"));

        assertThat(host.path("version").asString()).isEqualTo("2.0");
        assertThat(host.path("extensions").path("http").path("routePrefix").isString()).isTrue();
        assertThat(host.path("extensions").path("http").path("routePrefix").asString()).isEmpty();
    }
}
