package dev.etr.experts;

import dev.etr.config.EtrConfig;
import dev.etr.config.ExpertConfig;
import dev.etr.config.GeneralistConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The experts and the generalist, with their backends, as the configuration describes them.
 *
 * <p>One HTTP client (one connection pool) serves every {@code openai} backend; {@link #close()} releases it.
 */
public final class ExpertRegistry {

    /** The generalist's name, as a model ({@code model: "generalist"}) and as a routing outcome. */
    public static final String GENERALIST = "generalist";

    /** Connections per upstream host: a gateway holds many concurrent streams, Vert.x's default of 5 is too few. */
    static final int MAX_CONNECTIONS_PER_HOST = 256;

    private final HttpClient http;
    private final Map<String, Expert> experts;
    private final Expert generalist;

    private ExpertRegistry(HttpClient http, Map<String, Expert> experts, Expert generalist) {
        this.http = http;
        this.experts = experts;
        this.generalist = generalist;
    }

    /** Builds every backend; nothing is contacted yet. */
    public static ExpertRegistry fromConfig(Vertx vertx, EtrConfig config) {
        GeneralistConfig general = config.generalist();
        if (general == null || general.backend() == null) {
            throw new IllegalArgumentException("generalist.backend: required");
        }
        HttpClient http = vertx.createHttpClient(new HttpClientOptions(),
                new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS_PER_HOST));
        Map<String, Expert> experts = new LinkedHashMap<>();
        for (ExpertConfig expert : config.experts()) {
            experts.put(expert.name(), new Expert(expert.name(), expert.description(), expert.systemPrompt(),
                    ExpertBackend.create(vertx, http, expert.name(), expert.backend())));
        }
        Expert generalist = new Expert(GENERALIST, "answers when no expert fits", general.systemPrompt(),
                ExpertBackend.create(vertx, http, GENERALIST, general.backend()));
        return new ExpertRegistry(http, Collections.unmodifiableMap(experts), generalist);
    }

    /** An expert or the generalist, by name. */
    public Optional<Expert> find(String name) {
        return GENERALIST.equals(name) ? Optional.of(generalist) : Optional.ofNullable(experts.get(name));
    }

    /** The experts (the generalist excluded), in configuration order. */
    public List<Expert> experts() {
        return List.copyOf(experts.values());
    }

    public Expert generalist() {
        return generalist;
    }

    public Future<Void> close() {
        return http.close();
    }
}
