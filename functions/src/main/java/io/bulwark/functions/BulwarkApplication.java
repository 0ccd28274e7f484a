package io.bulwark.functions;

import io.bulwark.tools.BulwarkTools;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import java.util.List;

/**
 * The local function runner: every function over HTTP on port 8080 ({@code --server.port} to change). A first
 * argument that is not an option is a command of the {@code bulwark} command line ({@link BulwarkTools}:
 * {@code chaos}, {@code simulate}, {@code help}), run instead of the server. The same application context, without a
 * web server, serves Azure Functions ({@code io.bulwark.functions.azure}). What the functions need is assembled in
 * {@link io.bulwark.functions.config.FunctionsConfiguration}, which the component scan finds; AWS Lambda starts a
 * leaner context around the same classes ({@link io.bulwark.functions.aws.LambdaApplication}: no scan, no web
 * server, operator pages or actuator).
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
}
