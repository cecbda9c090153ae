package dev.etr.gateway;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.etr.config.BackendConfig;
import dev.etr.config.EtrConfig;
import dev.etr.config.ExpertConfig;
import dev.etr.config.GeneralistConfig;
import dev.etr.config.ResilienceConfig;
import dev.etr.config.ServerConfig;
import dev.etr.experts.ExpertRegistry;
import dev.etr.router.Router;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A running gateway on a random loopback port, its experts served by one WireMock server (each expert under its
 * own path prefix) plus any extra upstream a test brings.
 *
 * <p>Experts: {@code math} (system prompt), {@code code}, {@code slow} (200 ms timeout), {@code down} (nothing
 * listens) and the {@code generalist}; the router is a {@link FakeRouter}.
 */
final class GatewayFixture implements AutoCloseable {

    static final String MATH_PROMPT = "You are a careful mathematician.";
    static final Duration SLOW_TIMEOUT = Duration.ofMillis(200);

    final WireMockServer upstream;
    final Vertx vertx;
    final PrometheusMeterRegistry metrics;
    final ExpertRegistry experts;
    final FakeRouter router;
    final Gateway gateway;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private GatewayFixture(Builder builder) {
        upstream = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        vertx = Gateway.vertx(metrics);
        List<ExpertConfig> configured = new ArrayList<>(List.of(
                expert("math", wiremock("math"), BackendConfig.DEFAULT_TIMEOUT, MATH_PROMPT),
                expert("code", wiremock("code"), BackendConfig.DEFAULT_TIMEOUT, null),
                expert("slow", wiremock("slow"), SLOW_TIMEOUT, null),
                expert("down", "http://127.0.0.1:" + closedPort() + "/v1", BackendConfig.DEFAULT_TIMEOUT, null)));
        configured.addAll(builder.extraExperts);
        builder.upstreamExperts.forEach((name, resilience) -> configured.add(new ExpertConfig(name, name + " questions",
                new BackendConfig(BackendConfig.Type.openai, wiremock(name), name + "-model", null,
                        BackendConfig.DEFAULT_TIMEOUT, Map.of(), resilience), List.of(), null, null)));
        EtrConfig config = new EtrConfig(
                new ServerConfig("127.0.0.1", 0, builder.apiKeys, builder.maxBodyBytes, null),
                null,
                new GeneralistConfig(backend(builder.generalistUrl != null ? builder.generalistUrl : wiremock("general"),
                        "general-model", builder.generalistTimeout), null, null, null),
                configured);
        experts = ExpertRegistry.fromConfig(vertx, config);
        router = new FakeRouter(configured.stream().map(ExpertConfig::name).toList());
        Callable<Router> loader = builder.loader != null ? builder.loader : () -> router;
        gateway = await(Gateway.start(vertx, config.server(), experts, loader, metrics));
    }

    static Builder builder() {
        return new Builder();
    }

    static GatewayFixture start() {
        return builder().start();
    }

    static final class Builder {
        private List<String> apiKeys = List.of();
        private Long maxBodyBytes;
        private Callable<Router> loader;
        private final List<ExpertConfig> extraExperts = new ArrayList<>();
        private final Map<String, ResilienceConfig> upstreamExperts = new java.util.LinkedHashMap<>();
        private String generalistUrl;

        /** An expert served by the fixture's WireMock under {@code /name/v1}, with its own fault tolerance. */
        Builder expertOnUpstream(String name, ResilienceConfig resilience) {
            upstreamExperts.put(name, resilience);
            return this;
        }

        private Duration generalistTimeout = BackendConfig.DEFAULT_TIMEOUT;

        /** The generalist at another address than WireMock's {@code /general} (e.g. one nobody listens on). */
        Builder generalist(String baseUrl, Duration timeout) {
            generalistUrl = baseUrl;
            generalistTimeout = timeout;
            return this;
        }

        Builder apiKeys(String... keys) {
            apiKeys = List.of(keys);
            return this;
        }

        Builder maxBodyBytes(long bytes) {
            maxBodyBytes = bytes;
            return this;
        }

        Builder routerLoader(Callable<Router> loader) {
            this.loader = loader;
            return this;
        }

        /** An expert served by an upstream the test runs itself. */
        Builder expert(String name, String baseUrl, Duration timeout) {
            return expert(GatewayFixture.expert(name, baseUrl, timeout, null));
        }

        Builder expert(ExpertConfig expert) {
            extraExperts.add(expert);
            return this;
        }

        GatewayFixture start() {
            return new GatewayFixture(this);
        }
    }

    private String wiremock(String prefix) {
        return upstream.baseUrl() + "/" + prefix + "/v1";
    }

    static ExpertConfig expert(String name, String baseUrl, Duration timeout, String systemPrompt) {
        return new ExpertConfig(name, name + " questions", backend(baseUrl, name + "-model", timeout),
                List.of(), null, systemPrompt);
    }

    /** Default fault tolerance, but retries 1 ms apart: tests see every retry without waiting for backoff. */
    static final ResilienceConfig FAST_RETRIES = new ResilienceConfig(null, null,
            new ResilienceConfig.Retry(3, Duration.ofMillis(1), 1.0, Duration.ofMillis(1), 0.0, null), null, null, null);

    private static BackendConfig backend(String baseUrl, String model, Duration timeout) {
        return new BackendConfig(BackendConfig.Type.openai, baseUrl, model, null, timeout, Map.of(), FAST_RETRIES);
    }

    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + gateway.port() + path;
    }

    HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The current value of a Prometheus sample line ({@code name{labels}}), or null when absent. */
    Double metric(String sample) {
        return metrics.scrape().lines()
                .filter(line -> line.startsWith(sample + " "))
                .map(line -> Double.valueOf(line.substring(sample.length() + 1)))
                .findFirst().orElse(null);
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("future failed", e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        await(gateway.close());
        await(experts.close());
        await(vertx.close());
        upstream.stop();
    }
}
