package io.bulwark.functions;

import io.bulwark.functions.http.FunctionDispatcher;
import io.bulwark.functions.http.FunctionEndpoints;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * The local function runner: every function over HTTP on port 8080 ({@code --server.port} to change).
 * The same application context serves AWS Lambda (Spring Cloud Function's {@code FunctionInvoker} starts
 * it without a web server) and Azure Functions ({@code io.bulwark.functions.azure}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BulwarkApplication {

    public static void main(String[] args) {
        SpringApplication.run(BulwarkApplication.class, args);
    }

    @Bean
    public FunctionEndpoints functionEndpoints() {
        return new FunctionEndpoints(List.of(new FunctionEndpoints.Endpoint("sentiment", "POST")));
    }

    @Bean
    FunctionDispatcher functionDispatcher(FunctionCatalog catalog, FunctionEndpoints endpoints, JsonMapper json) {
        return new FunctionDispatcher(catalog, endpoints, json);
    }
}
