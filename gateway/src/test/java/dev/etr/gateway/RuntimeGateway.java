package dev.etr.gateway;

import dev.etr.config.BackendConfig;
import dev.etr.config.EtrConfig;
import dev.etr.config.ExpertConfig;
import dev.etr.config.GeneralistConfig;
import dev.etr.config.RouterConfig;
import dev.etr.config.ServerConfig;
import dev.etr.experts.ExpertRegistry;
import dev.etr.experts.registry.StateStore;
import dev.etr.router.ExpertTokenRouter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A real gateway with runtime experts: the embedded meta-model (bge-small, in process), the trained router, a state
 * directory, the admin API enabled with {@link #ADMIN_KEY}; every backend is etr's {@code mock} type, so only the
 * LLMs are stand-ins. Configured experts: {@code math} and {@code code}.
 */
final class RuntimeGateway implements AutoCloseable {

    static final String ADMIN_KEY = "admin-test-key";
    static final String CONFIG_SOURCE = "etr-test.yaml";
    static final long MAX_BODY = 256 * 1024;

    final Vertx vertx;
    final ExpertRegistry experts;
    final RuntimeExperts runtime;
    final Gateway gateway;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    RuntimeGateway(Path stateDir, Path cacheDir) {
        EtrConfig config = config();
        runtime = RuntimeExperts.open(new StateStore(stateDir), config, CONFIG_SOURCE);
        vertx = Gateway.vertx(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        experts = ExpertRegistry.fromConfig(vertx, config, runtime.restored());
        gateway = await(Gateway.start(vertx, config.server(), experts,
                () -> ExpertTokenRouter.fromConfig(config, cacheDir), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                runtime));
        await(gateway.routerReady());
    }

    static EtrConfig config() {
        return new EtrConfig(new ServerConfig("127.0.0.1", 0, null, MAX_BODY, ADMIN_KEY),
                RouterConfig.defaults(),
                new GeneralistConfig(mock("generalist-model"), null, null, null),
                List.of(new ExpertConfig("math", "Mathematics", mock("math-model"), List.of(
                                "What is the derivative of x^3?", "Solve 2x + 5 = 17 for x.",
                                "What is the integral of sin(x)?", "Prove that the square root of 2 is irrational.",
                                "How many ways can 5 people sit in a row?", "What is the sum of the first 100 integers?",
                                "Find the eigenvalues of a 2x2 matrix.", "What is the probability of two sixes with two dice?"),
                                null, null),
                        new ExpertConfig("code", "Programming", mock("code-model"), List.of(
                                "How do I reverse a linked list in Java?", "Why does my Python loop never terminate?",
                                "What does a NullPointerException mean?", "How do I write a SQL join across three tables?",
                                "Why does my Java HashMap lose entries?", "How do I parse JSON in JavaScript?",
                                "What is the difference between a process and a thread?", "How do I fix a git merge conflict?"),
                                null, null)));
    }

    static BackendConfig mock(String model) {
        return new BackendConfig(BackendConfig.Type.mock, null, model, null, null, null);
    }

    /** 100 distinct tax questions. */
    static List<String> taxExamples() {
        String[] topics = {"my home office", "charitable donations", "mortgage interest", "student loan interest",
                "medical expenses", "a rental property", "capital gains from selling shares", "self-employment income",
                "childcare costs", "a company car"};
        String[] forms = {"Can I deduct %s on my income tax return?", "How is %s taxed by the IRS?",
                "Do I have to declare %s to the tax office?", "What tax form do I need for %s?",
                "Is there a tax credit for %s?", "How much tax will I owe on %s this year?",
                "Can my accountant claim %s as a tax deduction?", "What are the tax rules for %s?",
                "Does %s reduce my taxable income?", "When is the tax filing deadline for %s?"};
        List<String> examples = new ArrayList<>();
        for (String form : forms) {
            for (String topic : topics) {
                examples.add(String.format(form, topic));
            }
        }
        return examples;
    }

    static JsonObject taxExpert(String model, List<String> examples) {
        return new JsonObject().put("name", "tax").put("description", "Tax law and returns")
                .put("backend", new JsonObject().put("type", "mock").put("model", model))
                .put("examples", new io.vertx.core.json.JsonArray(examples));
    }

    String url(String path) {
        return "http://127.0.0.1:" + gateway.port() + path;
    }

    HttpResponse<String> admin(String method, String path, String body) {
        return send(method, path, body, "Authorization", "Bearer " + ADMIN_KEY);
    }

    HttpResponse<String> send(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The expert {@code POST /v1/route} picks for {@code text}. */
    String route(String text) {
        HttpResponse<String> response = send("POST", "/v1/route", new JsonObject().put("text", text).encode());
        return new JsonObject(response.body()).getString("expert");
    }

    HttpResponse<String> chat(String text) {
        return send("POST", "/v1/chat/completions", new JsonObject().put("model", "auto")
                .put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", "user").put("content", text)))
                .encode());
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("future failed", e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() throws Exception {
        await(gateway.close());
        if (gateway.routerReady().result() instanceof AutoCloseable router) {
            router.close();
        }
        await(experts.close());
        await(vertx.close());
    }
}
