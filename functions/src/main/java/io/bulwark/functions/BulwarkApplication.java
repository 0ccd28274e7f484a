package io.bulwark.functions;

import io.bulwark.functions.http.FunctionEndpoints;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

import java.util.List;

/**
 * The local function runner: every function over HTTP on port 8080 ({@code --server.port} to change).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BulwarkApplication {

    public static void main(String[] args) {
        SpringApplication.run(BulwarkApplication.class, args);
    }

    @Bean
    FunctionEndpoints functionEndpoints() {
        return new FunctionEndpoints(List.of(new FunctionEndpoints.Endpoint("sentiment", "POST"),
                new FunctionEndpoints.Endpoint("predict", "POST"),
                new FunctionEndpoints.Endpoint("predict_batch", "POST"),
                new FunctionEndpoints.Endpoint("train", "POST"),
                new FunctionEndpoints.Endpoint("models", "GET"),
                new FunctionEndpoints.Endpoint("promote", "POST"),
                new FunctionEndpoints.Endpoint("rollback", "POST")));
    }
}
