package dev.etr.gateway.cli;

import dev.etr.config.ExamplesFile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ./etr experts add|list|remove}: the admin API of a running gateway, from the command line. */
@Command(name = "experts", mixinStandardHelpOptions = true,
        description = "Add, list and remove experts of a running gateway (its admin API; needs ETR_ADMIN_KEY).",
        subcommands = {ExpertsCommand.Add.class, ExpertsCommand.List_.class, ExpertsCommand.Remove.class,
                ExpertsCommand.Retrain.class})
final class ExpertsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:ETR_URL:-http://127.0.0.1:8080}",
            description = "The gateway (default ${DEFAULT-VALUE}).", scope = picocli.CommandLine.ScopeType.INHERIT)
    String url;

    @Option(names = "--admin-key", paramLabel = "KEY", defaultValue = "${env:ETR_ADMIN_KEY}",
            description = "Admin key (default: $ETR_ADMIN_KEY).", scope = picocli.CommandLine.ScopeType.INHERIT)
    String adminKey;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    int call(CommandSpec sub, String method, String path, JsonObject body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + path))
                .timeout(Duration.ofMinutes(10))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.encode()));
        if (adminKey != null && !adminKey.isBlank()) {
            request.header("Authorization", "Bearer " + adminKey);
        }
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            sub.commandLine().getErr().println("etr: no gateway answers at " + url + " (start one with ./etr serve)");
            return 1;
        } catch (IOException e) {
            sub.commandLine().getErr().println("etr: " + url + ": " + e);
            return 1;
        }
        String text = response.body();
        try {
            text = new JsonObject(text).encodePrettily();
        } catch (RuntimeException notJson) {
            // print as it came
        }
        if (response.statusCode() >= 400) {
            sub.commandLine().getErr().println("etr: HTTP " + response.statusCode() + "\n" + text);
            return 1;
        }
        sub.commandLine().getOut().println(text);
        return 0;
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add an expert: trains its token from the examples and prints the validation report.")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        ExpertsCommand parent;
        @Spec
        CommandSpec spec;

        @Option(names = "--name", required = true, description = "Expert name (also its model name).")
        String name;
        @Option(names = "--description", description = "What it is good at.")
        String description;
        @Option(names = "--examples", required = true, paramLabel = "FILE",
                description = "JSON Lines file, one {\"text\": \"...\"} per line; read here and sent inline.")
        Path examples;
        @Option(names = "--type", defaultValue = "openai", description = "Backend type: openai (default) or mock.")
        String type;
        @Option(names = "--base-url", description = "OpenAI-compatible base URL, e.g. http://127.0.0.1:9001/v1.")
        String baseUrl;
        @Option(names = "--model", description = "Model name the backend expects.")
        String model;
        @Option(names = "--api-key", description = "Backend API key (default: $ETR_EXPERT_API_KEY).",
                defaultValue = "${env:ETR_EXPERT_API_KEY}")
        String apiKey;
        @Option(names = "--timeout", description = "Backend timeout, e.g. 60s.")
        String timeout;
        @Option(names = "--system-prompt", description = "System message put first in every request it serves.")
        String systemPrompt;
        @Option(names = "--replace", description = "Replace the expert of that name (PUT) instead of adding one.")
        boolean replace;

        @Override
        public Integer call() throws Exception {
            JsonObject backend = new JsonObject().put("type", type);
            if (baseUrl != null) {
                backend.put("baseUrl", baseUrl);
            }
            if (model != null) {
                backend.put("model", model);
            }
            if (apiKey != null && !apiKey.isBlank()) {
                backend.put("apiKey", apiKey);
            }
            if (timeout != null) {
                backend.put("timeout", timeout);
            }
            List<String> texts = new ArrayList<>(ExamplesFile.read(examples));
            JsonObject body = new JsonObject().put("name", name).put("backend", backend)
                    .put("examples", new JsonArray(texts));
            if (description != null) {
                body.put("description", description);
            }
            if (systemPrompt != null) {
                body.put("systemPrompt", systemPrompt);
            }
            return replace ? parent.call(spec, "PUT", "/admin/experts/" + name, body)
                    : parent.call(spec, "POST", "/admin/experts", body);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List every expert with its source and report.")
    static final class List_ implements Callable<Integer> {
        @ParentCommand
        ExpertsCommand parent;
        @Spec
        CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "NAME", description = "Only this expert.")
        String name;

        @Override
        public Integer call() throws Exception {
            return parent.call(spec, "GET", name == null ? "/admin/experts" : "/admin/experts/" + name, null);
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an expert added at runtime.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        ExpertsCommand parent;
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            return parent.call(spec, "DELETE", "/admin/experts/" + name, null);
        }
    }

    @Command(name = "retrain", mixinStandardHelpOptions = true, description = "Joint retrain of every expert token.")
    static final class Retrain implements Callable<Integer> {
        @ParentCommand
        ExpertsCommand parent;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return parent.call(spec, "POST", "/admin/router/retrain", null);
        }
    }
}
