package dev.etr.gateway.cli;

import dev.etr.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code etr} command line: {@code ./etr --help} lists the commands. */
@Command(
        name = "etr",
        mixinStandardHelpOptions = true,
        version = "etr 0.1.0",
        description = "Expert-token-routing gateway for LLMs.",
        subcommands = {ServeCommand.class, RouteCommand.class, EvalCommand.class, ExpertsCommand.class,
                CommandLine.HelpCommand.class})
public final class Etr implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line as {@link #main} runs it. */
    static CommandLine commandLine() {
        return new CommandLine(new Etr())
                // a bad configuration is the user's to fix: its message names every problem, a stack trace would bury it
                .setExecutionExceptionHandler((error, commandLine, parsed) -> {
                    if (error instanceof ConfigException) {
                        commandLine.getErr().println("etr: " + error.getMessage());
                        return 2;
                    }
                    throw error;
                });
    }
}
