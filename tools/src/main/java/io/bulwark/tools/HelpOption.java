package io.bulwark.tools;

import picocli.CommandLine.Option;

/** The {@code -h}/{@code --help} option every command has (a picocli mixin). */
public final class HelpOption {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
}
