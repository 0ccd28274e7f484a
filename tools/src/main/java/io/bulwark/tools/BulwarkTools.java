package io.bulwark.tools;

import io.bulwark.tools.chaos.ChaosCommand;
import io.bulwark.tools.simulate.SimulateCommand;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * The {@code bulwark} command line ({@code bin/run COMMAND ...}, or {@code java -jar bulwark.jar COMMAND ...}): its
 * commands {@code chaos} ({@link ChaosCommand}) and {@code simulate} ({@link SimulateCommand}), each with
 * {@code --help}, parsed by picocli. Exit status: 0 done, 1 the command failed (chaos: the hypothesis did not hold),
 * 2 bad arguments or an unknown command, with what is wrong and the usage on the error stream.
 */
@Command(name = "bulwark", synopsisSubcommandLabel = "COMMAND",
        description = "The Bulwark functions: with no command, the local HTTP runner; with one, that command.",
        subcommands = {ChaosCommand.class, io.bulwark.tools.chaos.ChaosClassifierCommand.class, SimulateCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"",
                "With no command: the HTTP runner on http://localhost:8080 (--server.port=9090 or SERVER_PORT=9090 "
                        + "to move it).",
                "bulwark is bin/run, or java -jar functions/target/bulwark.jar. COMMAND --help explains a command.",
                "",
                "Exit status: 0 done, 1 the command failed, 2 bad arguments."})
public final class BulwarkTools implements Callable<Integer> {

    /** Columns of the usage (picocli's default, 80, wraps most option descriptions). */
    static final int USAGE_WIDTH = 100;

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    private BulwarkTools() {
    }

    /** Runs the command named by {@code args[0]} with the rest of {@code args}; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine line = new CommandLine(new BulwarkTools())
                .setOut(writer(out))
                .setErr(writer(err))
                .setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF))
                .setUsageHelpWidth(USAGE_WIDTH)
                .setParameterExceptionHandler(new UsageErrors());
        try {
            return line.execute(args);
        } finally {
            line.getOut().flush();
            line.getErr().flush();
        }
    }

    /** Runs {@link #run} on the standard streams, without Spring, and exits with its status. */
    public static void main(String[] args) {
        quietLogging();
        System.exit(run(args, System.out, System.err));
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "name a command: chaos or simulate");
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(stream, true, stream.charset());
    }

    /**
     * Outside Spring nothing configures Logback, whose default is to print everything. DJL (the MiniLM tokenizer)
     * warns twice that it cannot count GPUs on a machine with a CUDA runtime and no usable driver: the embedder runs
     * on the CPU either way.
     */
    private static void quietLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
            context.getLogger("ai.djl.util.cuda.CudaUtils").setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }
}
