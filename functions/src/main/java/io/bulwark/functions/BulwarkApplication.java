package io.bulwark.functions;

import io.bulwark.functions.cli.SimulateCommand;
import io.bulwark.functions.http.FunctionEndpoints;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

import java.util.Arrays;
import java.util.List;

/**
 * The local function runner: every function over HTTP on port 8080 ({@code --server.port} to change). A first
 * argument that is a command runs that command instead: {@code simulate} (see {@link SimulateCommand}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BulwarkApplication {

    static final String USAGE = """
            usage: java -jar bulwark.jar [--property=value ...]     the HTTP runner (default)
                   java -jar bulwark.jar simulate --scenario FILE --report FILE""";

    public static void main(String[] args) {
        if (args.length > 0 && !args[0].startsWith("-")) {
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            int code = switch (args[0]) {
                case "simulate" -> SimulateCommand.run(rest, System.out, System.err);
                default -> {
                    System.err.println("unknown command '" + args[0] + "'");
                    System.err.println(USAGE);
                    yield 2;
                }
            };
            System.exit(code);
        }
        SpringApplication.run(BulwarkApplication.class, args);
    }

    @Bean
    FunctionEndpoints functionEndpoints() {
        return new FunctionEndpoints(List.of(new FunctionEndpoints.Endpoint("sentiment", "POST")));
    }
}
