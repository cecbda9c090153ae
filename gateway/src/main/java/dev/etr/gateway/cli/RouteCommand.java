package dev.etr.gateway.cli;

import dev.etr.gateway.RoutingJson;
import dev.etr.router.ChatTurn;
import dev.etr.router.ExpertTokenRouter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code ./etr route TEXT}: the routing decision for one user message, as JSON on standard output. */
@Command(name = "route", mixinStandardHelpOptions = true,
        description = {"Print the routing decision for TEXT as JSON (the shape of POST /v1/route).",
                "Trains the expert tokens first; cached embeddings make repeated runs fast."})
final class RouteCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Parameters(paramLabel = "TEXT", arity = "1..*", description = "The user message (several words are joined by spaces).")
    List<String> words;

    @Override
    public Integer call() {
        try (ExpertTokenRouter router = ExpertTokenRouter.fromConfig(options.load(), options.cacheDir)) {
            spec.commandLine().getOut().println(RoutingJson.of(router.route(List.of(ChatTurn.user(String.join(" ", words)))))
                    .encodePrettily());
        }
        return 0;
    }
}
