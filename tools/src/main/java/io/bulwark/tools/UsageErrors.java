package io.bulwark.tools;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;

/**
 * Answers bad arguments, from the parser or from a command's own checks: what is wrong (prefixed by the command's
 * name), then that command's usage, on the error stream; exit status 2.
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(command.getCommandName() + ": " + message(e));
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println();
        command.usage(err);
        err.flush();
        return CommandLine.ExitCode.USAGE;
    }

    private static String message(ParameterException e) {
        // The parser calls a word it cannot place an "unmatched argument"; at the top it is a command's name.
        if (e instanceof UnmatchedArgumentException u && e.getCommandLine().getParent() == null
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().getFirst().startsWith("-")) {
            return "unknown command '" + u.getUnmatched().getFirst() + "'";
        }
        return e.getMessage();
    }
}
