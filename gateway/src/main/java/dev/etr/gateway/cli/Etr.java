package dev.etr.gateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code etr} command line: {@code ./etr --help} lists the commands. */
@Command(
        name = "etr",
        mixinStandardHelpOptions = true,
        version = "etr 0.1.0",
        description = "Expert-token-routing gateway for LLMs.",
        subcommands = {EvalCommand.class, CommandLine.HelpCommand.class})
public final class Etr implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Etr()).execute(args));
    }
}
