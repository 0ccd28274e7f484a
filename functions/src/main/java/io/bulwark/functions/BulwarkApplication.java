package io.bulwark.functions;

import io.bulwark.tools.chaos.ChaosCommand;
import io.bulwark.tools.simulate.SimulateCommand;
import io.bulwark.functions.http.FunctionDispatcher;
import io.bulwark.functions.http.FunctionObserver;
import io.bulwark.functions.http.HttpFunction;
import io.bulwark.resilience.Ticker;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

import java.util.Arrays;
import java.util.List;

/**
 * The local function runner: every function over HTTP on port 8080 ({@code --server.port} to change). A first
 * argument that is a command runs that command instead: {@code chaos} (see {@link ChaosCommand}) or
 * {@code simulate} (see {@link SimulateCommand}). The same application context serves AWS Lambda (Spring
 * Cloud Function's {@code FunctionInvoker} starts it without a web server) and Azure Functions
 * ({@code io.bulwark.functions.azure}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BulwarkApplication {

    static final String USAGE = """
            Commands:
              (none)    start the HTTP runner, e.g. java -jar bulwark.jar --server.port=8080
              chaos     run chaos scenarios:
                          java -jar bulwark.jar chaos --scenario NAME --requests N --seed S --report FILE
              simulate  simulate a month's costs:
                          java -jar bulwark.jar simulate --scenario FILE --report FILE""";

    /**
     * Starts the HTTP runner, or with a command as the first argument ({@code chaos}, {@code simulate}) runs that
     * command instead (without starting Spring). {@code help}, {@code --help} or {@code -h} alone prints the usage;
     * any other first word that is not an option is refused with it.
     */
    public static void main(String[] args) {
        if (args.length == 1 && List.of("help", "--help", "-h").contains(args[0])) {
            System.out.println(USAGE);
            return;
        }
        if (args.length > 0 && !args[0].startsWith("-")) {
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            quietLogging();
            int code = switch (args[0]) {
                case ChaosCommand.NAME -> ChaosCommand.run(rest, System.out, System.err);
                case SimulateCommand.NAME -> SimulateCommand.run(rest, System.out, System.err);
                default -> {
                    System.err.println("bulwark: unknown command '" + args[0] + "'.");
                    System.err.println(USAGE);
                    yield 2;
                }
            };
            System.exit(code);
        }
        SpringApplication.run(BulwarkApplication.class, args);
    }

    /** Outside Spring nothing configures Logback, whose default is to print everything. */
    private static void quietLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    /**
     * The HTTP edge of every runtime: each function bean declares its own route; every observer bean (the monitor,
     * the meters) hears every call.
     */
    @Bean
    FunctionDispatcher functionDispatcher(List<HttpFunction> functions, List<FunctionObserver> observers,
                                          JsonMapper json, Ticker ticker) {
        FunctionDispatcher dispatcher = new FunctionDispatcher(functions, json, FunctionObserver.all(observers), ticker);
        LoggerFactory.getLogger(BulwarkApplication.class).info("Functions: {}", dispatcher.endpoints().describe());
        return dispatcher;
    }
}
