package io.bulwark.functions.azure;

import io.bulwark.functions.monitoring.AlertRule;
import io.bulwark.functions.monitoring.AlertRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * {@code azure/azuredeploy.json}, the Azure deployment (an ARM template: JSON that the Azure CLI deploys as it is, so
 * this test reads exactly what Azure reads). With no Azure CLI here, it is checked structurally: every expression
 * parses and calls only ARM functions; every parameter and variable it names is declared and every declared one used;
 * every {@code resourceId} and {@code dependsOn} names a resource of the template; list and reference functions stay
 * out of the variables (ARM refuses them there). Then what it must deploy: a Linux Java 21 function app on its plan,
 * with storage and Application Insights, the settings Lambda gets, the secrets as Key Vault references its identity
 * may read, and seed 003's four alert rules with their action group.
 */
class AzureTemplateTest {

    static final Path PATH = Path.of("..", "azure", "azuredeploy.json");

    /** The ARM template functions this template may call (a misspelt one fails here, not at deployment). */
    static final Set<String> ARM_FUNCTIONS = Set.of("parameters", "variables", "concat", "format", "if", "empty", "not",
            "equals", "and", "or", "resourceId", "subscriptionResourceId", "resourceGroup", "subscription",
            "uniqueString", "toLower", "take", "reference", "listKeys", "guid", "createArray", "createObject",
            "environment", "null", "true", "false", "string", "int");

    private static JsonNode template;
    private static final List<String> expressions = new ArrayList<>();

    @BeforeAll
    static void parse() throws IOException {
        template = JsonMapper.builder().build().readTree(Files.readString(PATH));
        strings(template, s -> {
            if (ArmExpression.isExpression(s)) {
                expressions.add(s);
            }
        });
    }

    private static void strings(JsonNode node, java.util.function.Consumer<String> out) {
        if (node.isString()) {
            out.accept(node.asString());
        } else if (node.isContainer()) {
            for (JsonNode child : node) {
                strings(child, out);
            }
        }
    }

    private static List<ArmExpression.Call> calls(String named) {
        List<ArmExpression.Call> out = new ArrayList<>();
        for (String e : expressions) {
            ArmExpression.parse(e).calls(c -> {
                if (c.name().equals(named)) {
                    out.add(c);
                }
            });
        }
        return out;
    }

    private static Stream<JsonNode> resources(String type) {
        List<JsonNode> out = new ArrayList<>();
        template.path("resources").forEach(r -> {
            if (r.path("type").asString().equals(type)) {
                out.add(r);
            }
        });
        return out.stream();
    }

    private static JsonNode resource(String type) {
        List<JsonNode> found = resources(type).toList();
        assertThat(found).as(type).hasSize(1);
        return found.getFirst();
    }

    /** The function app's settings, name → value. */
    private static Map<String, String> appSettings() {
        Map<String, String> out = new LinkedHashMap<>();
        resource("Microsoft.Web/sites").path("properties").path("siteConfig").path("appSettings")
                .forEach(s -> out.put(s.path("name").asString(), s.path("value").asString()));
        return out;
    }

    // --- the template is well formed ---

    @Test
    void should_be_an_arm_deployment_template() {
        assertThat(template.path("$schema").asString()).startsWith("https://schema.management.azure.com/schemas/")
                .endsWith("/deploymentTemplate.json#");
        assertThat(template.path("contentVersion").asString()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        template.path("resources").forEach(r -> {
            assertThat(r.path("type").asString()).as(r.toString()).matches("Microsoft\\.[A-Za-z]+/[A-Za-z/]+");
            assertThat(r.path("apiVersion").asString()).as(r.path("type").asString()).matches("\\d{4}-\\d{2}-\\d{2}(-preview)?");
            assertThat(r.path("name").asString()).as(r.path("type").asString()).isNotBlank();
        });
    }

    @Test
    void should_parse_every_expression_and_call_only_arm_functions() {
        assertThat(expressions).hasSizeGreaterThan(30);
        for (String e : expressions) {
            assertThatCode(() -> ArmExpression.parse(e)).as(e).doesNotThrowAnyException();
            ArmExpression.parse(e).calls(c -> assertThat(ARM_FUNCTIONS).as("function in " + e).contains(c.name()));
        }
    }

    @Test
    void should_refuse_a_malformed_expression() {
        for (String bad : List.of("[concat('a', 'b']", "[parameters('a)]", "[format('{0}', )]", "[if(a, b)]",
                "[reference('x').]", "[take('a', 2) 'b']")) {
            assertThatCode(() -> ArmExpression.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(ArmExpression.isExpression("[[not an expression]")).isFalse();
    }

    @Test
    void should_declare_every_parameter_and_variable_it_names_and_use_every_one_it_declares() {
        for (String section : List.of("parameters", "variables")) {
            Set<String> named = new TreeSet<>();
            calls(section).forEach(c -> {
                assertThat(ArmExpression.literal(c, 0)).as(section + "(...) with a literal name").isNotNull();
                named.add(ArmExpression.literal(c, 0));
            });
            assertThat(named).as(section + " named").containsExactlyInAnyOrderElementsOf(template.path(section)
                    .propertyNames());
        }
    }

    @Test
    void should_keep_reference_and_list_functions_out_of_the_variables() {
        List<String> inVariables = new ArrayList<>();
        strings(template.path("variables"), inVariables::add);
        for (String v : inVariables) {
            if (ArmExpression.isExpression(v)) {
                ArmExpression.parse(v).calls(c -> assertThat(c.name()).as(v).isNotEqualTo("reference")
                        .doesNotStartWith("list"));
            }
        }
    }

    @Test
    void should_name_only_resources_of_the_template_in_resource_ids_and_dependencies() {
        Set<String> types = new TreeSet<>();
        template.path("resources").forEach(r -> types.add(r.path("type").asString()));
        for (ArmExpression.Call id : calls("resourceId")) {
            String type = ArmExpression.literal(id, 0);
            assertThat(types).as("resourceId of " + type).contains(type);
            // One name per segment after the namespace: vaults/secrets takes the vault's and the secret's.
            assertThat(id.args()).as(type).hasSize(type.split("/").length);
        }
        template.path("resources").forEach(r -> r.path("dependsOn").forEach(d -> {
            ArmExpression e = ArmExpression.parse(d.asString());
            assertThat(e).as(d.asString()).isInstanceOf(ArmExpression.Call.class);
            assertThat(((ArmExpression.Call) e).name()).isEqualTo("resourceId");
        }));
        // Secure parameters go into Key Vault secrets and nowhere else: the secret's value and its condition, and the
        // Key Vault reference that names it (blank when the parameter is).
        List<String> everywhere = new ArrayList<>();
        strings(template, everywhere::add);
        template.path("parameters").properties().forEach(p -> {
            if (p.getValue().path("type").asString().equalsIgnoreCase("securestring")) {
                String ref = "parameters('" + p.getKey() + "')";
                for (String use : everywhere.stream().filter(s -> s.contains(ref)).toList()) {
                    assertThat(use.equals("[" + ref + "]") || use.equals("[not(empty(" + ref + "))]")
                            || use.startsWith("[if(empty(" + ref + "), '', format('@Microsoft.KeyVault("))
                            .as(p.getKey() + " used in " + use).isTrue();
                }
                assertThat(resources("Microsoft.KeyVault/vaults/secrets")
                        .filter(r -> r.path("properties").path("value").asString().equals("[" + ref + "]")))
                        .as(p.getKey() + " stored as a secret").hasSize(1);
            }
        });
    }

    // --- what it deploys ---

    @Test
    void should_run_a_linux_java_21_function_app_on_its_plan_with_storage_and_application_insights() {
        JsonNode site = resource("Microsoft.Web/sites");
        assertThat(site.path("kind").asString()).contains("functionapp").contains("linux");
        assertThat(site.path("properties").path("siteConfig").path("linuxFxVersion").asString()).isEqualTo("Java|21");
        assertThat(site.path("properties").path("httpsOnly").asBoolean()).isTrue();
        assertThat(site.path("properties").path("serverFarmId").asString()).contains("Microsoft.Web/serverfarms");
        JsonNode plan = resource("Microsoft.Web/serverfarms");
        assertThat(plan.path("properties").path("reserved").asBoolean()).as("a Linux plan").isTrue();
        assertThat(template.path("parameters").path("planSku").path("allowedValues").toString()).contains("Y1", "EP1");
        resource("Microsoft.Storage/storageAccounts");
        JsonNode insights = resource("Microsoft.Insights/components");
        assertThat(insights.path("properties").path("WorkspaceResourceId").asString()).contains("workspaces");

        Map<String, String> settings = appSettings();
        assertThat(settings).containsEntry("FUNCTIONS_WORKER_RUNTIME", "java")
                .containsEntry("FUNCTIONS_EXTENSION_VERSION", "~4").containsEntry("APPLICATIONINSIGHTS_ENABLE_AGENT", "true");
        assertThat(settings.get("AzureWebJobsStorage")).contains("listKeys(resourceId('Microsoft.Storage/storageAccounts'");
        assertThat(settings.get("APPLICATIONINSIGHTS_CONNECTION_STRING"))
                .contains("reference(resourceId('Microsoft.Insights/components'").contains("ConnectionString");
    }

    @Test
    void should_serve_the_packaged_azure_app_folder() throws IOException {
        // The app folder the build writes (functions/src/main/azure): Java worker, a host.json whose time-out the
        // default plan (Consumption: at most 10 minutes) allows.
        JsonMapper json = JsonMapper.builder().build();
        JsonNode host = json.readTree(Files.readString(Path.of("src", "main", "azure", "host.json")));
        java.time.Duration timeout = java.time.Duration.parse("PT" + host.path("functionTimeout").asString()
                .replaceFirst("(\\d+):(\\d+):(\\d+)", "$1H$2M$3S"));
        assertThat(timeout).isLessThanOrEqualTo(java.time.Duration.ofMinutes(10));
        // Each instance bounds the calls it takes (429 beyond): the counterpart of the HTTP API stage's throttling.
        JsonNode http = host.path("extensions").path("http");
        assertThat(http.path("maxConcurrentRequests").asInt()).isPositive();
        assertThat(http.path("maxOutstandingRequests").asInt()).isGreaterThanOrEqualTo(http.path("maxConcurrentRequests").asInt());
        assertThat(template.path("parameters").path("planSku").path("defaultValue").asString()).isEqualTo("Y1");
        JsonNode function = json.readTree(Files.readString(Path.of("src", "main", "azure", "bulwark", "function.json")));
        assertThat(function.path("scriptFile").asString()).endsWith(".jar");
    }

    @Test
    void should_read_the_llm_key_admin_token_and_redis_url_from_key_vault_references() {
        Map<String, String> settings = appSettings();
        Set<String> secrets = new TreeSet<>();
        resources("Microsoft.KeyVault/vaults/secrets").forEach(s -> {
            String name = s.path("name").asString();
            // [format('{0}/<secret>', variables('vaultName'))]
            String pattern = ArmExpression.literal((ArmExpression.Call) ArmExpression.parse(name), 0);
            assertThat(pattern).as(name).startsWith("{0}/");
            secrets.add(pattern.substring(4));
            assertThat(s.path("condition").asString()).as(name + " only when given").startsWith("[not(empty(parameters(");
        });
        for (String setting : List.of("BULWARK_LLM_API_KEY", "BULWARK_ADMIN_TOKEN", "BULWARK_STATE_REDIS_URL",
                "AWS_SECRET_ACCESS_KEY", "BULWARK_PREDICTIONLOG_POSTGRES_PASSWORD")) {
            String value = settings.get(setting);
            assertThat(value).as(setting).isNotNull();
            List<String> referenced = new ArrayList<>();
            ArmExpression.parse(value).calls(c -> {
                if (c.name().equals("format") && "@Microsoft.KeyVault(VaultName={0};SecretName={1})"
                        .equals(ArmExpression.literal(c, 0))) {
                    assertThat(c.args().get(1)).isEqualTo(new ArmExpression.Call("variables",
                            List.of(new ArmExpression.Text("vaultName"))));
                    referenced.add(ArmExpression.literal(c, 2));
                }
            });
            assertThat(referenced).as(setting + " = " + value).hasSize(1);
            assertThat(secrets).as(setting + "'s secret").contains(referenced.getFirst());
            // Blank, not a reference to a missing secret, when no value was given.
            assertThat(value).as(setting).startsWith("[if(empty(parameters('");
        }
        JsonNode site = resource("Microsoft.Web/sites");
        assertThat(site.path("identity").path("type").asString()).isEqualTo("SystemAssigned");
        assertThat(site.path("properties").path("keyVaultReferenceIdentity").asString()).isEqualTo("SystemAssigned");
        JsonNode vault = resource("Microsoft.KeyVault/vaults");
        assertThat(vault.path("properties").path("enableRbacAuthorization").asBoolean()).isTrue();

        JsonNode grant = resource("Microsoft.Authorization/roleAssignments");
        assertThat(grant.path("scope").asString()).contains("Microsoft.KeyVault/vaults");
        // Key Vault Secrets User, Azure's built-in role id
        assertThat(template.path("variables").path("keyVaultSecretsUser").asString())
                .contains("4633458b-17de-408a-b874-0445c86b69e6");
        assertThat(grant.path("properties").path("roleDefinitionId").asString()).isEqualTo("[variables('keyVaultSecretsUser')]");
        assertThat(grant.path("properties").path("principalId").asString())
                .contains("Microsoft.Web/sites").contains("identity.principalId");
    }

    @Test
    void should_share_state_through_an_optional_redis_and_registry() {
        Map<String, String> settings = appSettings();
        assertThat(settings.get("BULWARK_CLASSIFIER_REGISTRY"))
                .isEqualTo("[if(empty(parameters('registry')), '/home/data/bulwark/models', parameters('registry'))]");
        assertThat(settings.get("BULWARK_CLASSIFIER_REGISTRYENDPOINT")).isEqualTo("[parameters('registryEndpoint')]");
        assertThat(settings.get("BULWARK_STATE_REDIS_URL")).contains("parameters('redisUrl')");
        // One prediction log for the fleet in PostgreSQL when a URL is given; a file on the share otherwise.
        assertThat(settings.get("BULWARK_PREDICTIONLOG_BACKEND"))
                .isEqualTo("[if(empty(parameters('predictionLogPostgresUrl')), 'jsonl', 'postgres')]");
        assertThat(settings.get("BULWARK_PREDICTIONLOG_POSTGRES_URL")).isEqualTo("[parameters('predictionLogPostgresUrl')]");
        for (String optional : List.of("registry", "registryEndpoint", "redisUrl", "subnetId", "alertEmail",
                "predictionLogPostgresUrl", "predictionLogPostgresUsername", "predictionLogPostgresPassword")) {
            assertThat(template.path("parameters").path(optional).path("defaultValue").asString()).as(optional).isEmpty();
        }
        assertThat(resource("Microsoft.Web/sites").path("properties").path("virtualNetworkSubnetId").asString())
                .contains("parameters('subnetId')");
    }

    // --- seed 003's alert rules ---

    private static Map<String, JsonNode> alertRules() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        resources("Microsoft.Insights/scheduledQueryRules").forEach(r -> out.put(r.path("properties").path("displayName").asString(), r));
        return out;
    }

    @Test
    void should_alert_on_seed_003s_four_rules_with_the_local_thresholds() {
        Map<String, JsonNode> rules = alertRules();
        assertThat(rules).containsOnlyKeys("high-latency", "high-error-rate", "high-cost", "breaker-open");
        Map<String, AlertRule> local = AlertRules.defaults();
        for (var rule : rules.entrySet()) {
            JsonNode criterion = rule.getValue().path("properties").path("criteria").path("allOf").get(0);
            AlertRule same = local.get(rule.getKey());
            assertThat(same).as("the local rule " + rule.getKey()).isNotNull();
            double threshold = rule.getKey().equals("breaker-open") ? 1.0 : same.threshold();
            assertThat(criterion.path("threshold").asDouble()).as(rule.getKey()).isEqualTo(threshold);
            assertThat(criterion.path("operator").asString()).startsWith("GreaterThan");
            // The measured column is one the query computes.
            String query = criterion.path("query").asString();
            assertThat(query).as(rule.getKey()).contains(criterion.path("metricMeasureColumn").asString() + " = ");
            assertThat(query.chars().filter(c -> c == '(').count()).as("parentheses of " + query)
                    .isEqualTo(query.chars().filter(c -> c == ')').count());
            assertThat(query.chars().filter(c -> c == '\'').count() % 2).as("quotes of " + query).isZero();
        }
        assertThat(query(rules, "high-latency")).startsWith("requests").contains("percentile(duration, 95)");
        assertThat(query(rules, "high-error-rate")).startsWith("requests").contains("toint(resultCode) >= 500");
        assertThat(query(rules, "high-cost")).startsWith("customMetrics").contains("'bulwark.sentiment.cost'")
                .contains("sum(valueSum)");
        assertThat(query(rules, "breaker-open")).startsWith("customMetrics").contains("'bulwark.breaker.open'")
                .contains("max(value)");
    }

    private static String query(Map<String, JsonNode> rules, String name) {
        return rules.get(name).path("properties").path("criteria").path("allOf").get(0).path("query").asString();
    }

    @Test
    void should_read_meters_the_app_registers() throws IOException {
        // The cost and breaker rules read the app's Micrometer meters by name (in customMetrics): the names must be
        // the ones the app registers.
        Path sources = Path.of("src", "main", "java", "io", "bulwark", "functions");
        String meters = Files.readString(sources.resolve("monitoring/FunctionMeters.java"))
                + Files.readString(sources.resolve("config/BoundaryMeters.java"));
        for (String rule : List.of("high-cost", "breaker-open")) {
            Matcher name = Pattern.compile("name == '([a-z.]+)'").matcher(query(alertRules(), rule));
            assertThat(name.find()).isTrue();
            assertThat(meters).as(rule + "'s meter").contains("builder(\"" + name.group(1) + "\"");
        }
        assertThat(query(alertRules(), "breaker-open")).contains("customDimensions['model']");
        assertThat(meters).contains(".tag(\"model\", model)");
    }

    @Test
    void should_notify_the_action_group_from_every_rule() {
        JsonNode group = resource("Microsoft.Insights/actionGroups");
        assertThat(group.path("properties").path("emailReceivers").asString()).contains("parameters('alertEmail')");
        alertRules().forEach((name, rule) -> {
            JsonNode p = rule.path("properties");
            assertThat(p.path("actions").path("actionGroups").get(0).asString()).as(name)
                    .isEqualTo("[resourceId('Microsoft.Insights/actionGroups', variables('actionGroupName'))]");
            assertThat(p.path("scopes").get(0).asString()).as(name).contains("Microsoft.Insights/components");
            assertThat(p.path("enabled").asBoolean()).isTrue();
            assertThat(p.path("autoMitigate").asBoolean()).as(name + " resolves by itself").isTrue();
        });
    }
}
