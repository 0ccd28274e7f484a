package io.bulwark.functions;

import io.bulwark.functions.config.HttpProperties;
import io.bulwark.functions.http.FunctionDispatcher;
import io.bulwark.functions.http.FunctionObserver;
import io.bulwark.functions.http.HttpFunction;
import io.bulwark.resilience.Ticker;
import io.bulwark.tools.BulwarkTools;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * The local function runner: every function over HTTP on port 8080 ({@code --server.port} to change). A first
 * argument that is not an option is a command of the {@code bulwark} command line ({@link BulwarkTools}:
 * {@code chaos}, {@code simulate}, {@code help}), run instead of the server. The same application context serves AWS
 * Lambda (Spring Cloud Function's {@code FunctionInvoker} starts it without a web server) and Azure Functions
 * ({@code io.bulwark.functions.azure}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BulwarkApplication {

    /** Alone, these print the command line's usage (which names the server's options) rather than start it. */
    private static final List<String> HELP = List.of("--help", "-h");

    /**
     * Starts the HTTP runner, or hands the arguments to the command line (without starting Spring) when the first
     * is a command, or {@code --help} / {@code -h} alone.
     */
    public static void main(String[] args) {
        if (args.length > 0 && (!args[0].startsWith("-") || args.length == 1 && HELP.contains(args[0]))) {
            BulwarkTools.main(args);
            return;
        }
        SpringApplication.run(BulwarkApplication.class, args);
    }

    /**
     * The HTTP edge of every runtime: each function bean declares its own route; every observer bean (the monitor,
     * the meters) hears every call.
     */
    @Bean
    FunctionDispatcher functionDispatcher(List<HttpFunction> functions, List<FunctionObserver> observers,
                                          JsonMapper json, Ticker ticker, HttpProperties http) {
        FunctionDispatcher dispatcher = new FunctionDispatcher(functions, json, FunctionObserver.all(observers), ticker,
                http.contentEncoding());
        LoggerFactory.getLogger(BulwarkApplication.class).info("Functions: {}", dispatcher.endpoints().describe());
        return dispatcher;
    }
}
