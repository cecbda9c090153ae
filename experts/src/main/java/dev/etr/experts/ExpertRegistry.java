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
 * The experts and the generalist with their backends: those declared in the configuration (read-only at runtime)
 * and those added at runtime through the admin API.
 *
 * <p>The registry holds one immutable {@link Snapshot} at a time. A change builds the next snapshot
 * ({@link Snapshot#with}, {@link Snapshot#without}) and {@link #install}s it; whoever read the previous snapshot keeps
 * using it, and its backends keep working, until it is done. Installing is the caller's business, so that it can pair
 * the snapshot with the routing head trained for it and swap both at once.
 *
 * <p>One HTTP client (one connection pool) serves every {@code openai} backend, old snapshots' included;
 * {@link #close()} releases it.
 */
public final class ExpertRegistry {

    /** The generalist's name, as a model ({@code model: "generalist"}) and as a routing outcome. */
    public static final String GENERALIST = "generalist";

    /** Connections per upstream host: a gateway holds many concurrent streams, Vert.x's default of 5 is too few. */
    static final int MAX_CONNECTIONS_PER_HOST = 256;

    /** Where an expert comes from. */
    public enum Source {
        /** Declared in the configuration file: read-only at runtime. */
        CONFIG,
        /** Added through the admin API: persisted in the state directory. */
        RUNTIME;

        /** As shown in the admin API. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One expert with the configuration it was built from and where that configuration lives. */
    public record Entry(Expert expert, ExpertConfig config, Source source) {
        public String name() {
            return expert.name();
        }
    }

    /** Every expert and the generalist at one moment. Immutable; {@code version} grows with every change. */
    public static final class Snapshot {
        private final long version;
        private final Map<String, Entry> entries;
        private final Expert generalist;

        private Snapshot(long version, Map<String, Entry> entries, Expert generalist) {
            this.version = version;
            this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
            this.generalist = generalist;
        }

        public long version() {
            return version;
        }

        /** An expert or the generalist, by name. */
        public Optional<Expert> find(String name) {
            return GENERALIST.equals(name) ? Optional.of(generalist)
                    : Optional.ofNullable(entries.get(name)).map(Entry::expert);
        }

        public Optional<Entry> entry(String name) {
            return Optional.ofNullable(entries.get(name));
        }

        /** Configured experts first (in configuration order), then runtime ones (in order of addition). */
        public List<Entry> entries() {
            return List.copyOf(entries.values());
        }

        public List<Expert> experts() {
            return entries.values().stream().map(Entry::expert).toList();
        }

        public Expert generalist() {
            return generalist;
        }

        /** The next snapshot: {@code entry} replaces the expert of its name, or is appended. */
        public Snapshot with(Entry entry) {
            Map<String, Entry> next = new LinkedHashMap<>(entries);
            next.put(entry.name(), entry);
            return new Snapshot(version + 1, next, generalist);
        }

        /** The next snapshot, without {@code name}. */
        public Snapshot without(String name) {
            if (!entries.containsKey(name)) {
                throw new IllegalArgumentException("name: \"" + name + "\" is not a registered expert");
            }
            Map<String, Entry> next = new LinkedHashMap<>(entries);
            next.remove(name);
            return new Snapshot(version + 1, next, generalist);
        }

        /** The same experts under the next version number (the routing head changed, the experts did not). */
        public Snapshot next() {
            return new Snapshot(version + 1, entries, generalist);
        }
    }

    private final Vertx vertx;
    private final HttpClient http;
    private volatile Snapshot current;

    private ExpertRegistry(Vertx vertx, HttpClient http, Snapshot current) {
        this.vertx = vertx;
        this.http = http;
        this.current = current;
    }

    /** Builds every configured backend; nothing is contacted yet. */
    public static ExpertRegistry fromConfig(Vertx vertx, EtrConfig config) {
        return fromConfig(vertx, config, List.of());
    }

    /**
     * Builds every configured backend and those of {@code runtime} experts (restored from the state directory).
     *
     * @throws IllegalArgumentException when a runtime expert has the name of a configured one
     */
    public static ExpertRegistry fromConfig(Vertx vertx, EtrConfig config, List<ExpertConfig> runtime) {
        GeneralistConfig general = config.generalist();
        if (general == null || general.backend() == null) {
            throw new IllegalArgumentException("generalist.backend: required");
        }
        HttpClient http = vertx.createHttpClient(new HttpClientOptions(),
                new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS_PER_HOST));
        ExpertRegistry registry = new ExpertRegistry(vertx, http, null);
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (ExpertConfig expert : config.experts()) {
            entries.put(expert.name(), registry.build(expert, Source.CONFIG));
        }
        for (ExpertConfig expert : runtime) {
            if (entries.containsKey(expert.name())) {
                throw new IllegalArgumentException("name: \"" + expert.name() + "\" is declared in the configuration "
                        + "and was also added at runtime");
            }
            entries.put(expert.name(), registry.build(expert, Source.RUNTIME));
        }
        Expert generalist = new Expert(GENERALIST, "answers when no expert fits", general.systemPrompt(),
                ExpertBackend.create(vertx, http, GENERALIST, general.backend()));
        registry.current = new Snapshot(1, entries, generalist);
        return registry;
    }

    /** An entry for {@code config} with its backend built (on the shared HTTP client); not registered yet. */
    public Entry build(ExpertConfig config, Source source) {
        return new Entry(new Expert(config.name(), config.description(), config.systemPrompt(),
                ExpertBackend.create(vertx, http, config.name(), config.backend())), config, source);
    }

    /** The experts now. */
    public Snapshot current() {
        return current;
    }

    /** Makes {@code next} the registry's snapshot for every lookup that starts from now on. */
    public void install(Snapshot next) {
        current = next;
    }

    /** An expert or the generalist, by name, in the current snapshot. */
    public Optional<Expert> find(String name) {
        return current.find(name);
    }

    /** The experts (the generalist excluded): configured ones in configuration order, then runtime ones. */
    public List<Expert> experts() {
        return current.experts();
    }

    public Expert generalist() {
        return current.generalist();
    }

    public Future<Void> close() {
        return http.close();
    }
}
