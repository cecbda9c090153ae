package dev.etr.gateway;

import dev.etr.config.ServerConfig;
import dev.etr.experts.ExpertDispatcher;
import dev.etr.experts.ExpertRegistry;
import dev.etr.experts.FailureClassifier;
import dev.etr.experts.Resilience;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import dev.etr.router.Router;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.util.concurrent.Callable;

/**
 * The etr HTTP server: OpenAI-compatible chat completions routed to experts, plus {@code /v1/route},
 * {@code /v1/models}, health and metrics. See the README for the API.
 *
 * <p>The server listens at once; the router is loaded (trained) in the background and {@code /health/ready} turns
 * 200 when it is done. Until then, requests that name their expert are served and {@code model: "auto"} gets 503.
 */
public final class Gateway {

    private final HttpServer server;
    private final Routing routing;
    private final AdminApi admin;

    private Gateway(HttpServer server, Routing routing, AdminApi admin) {
        this.server = server;
        this.routing = routing;
        this.admin = admin;
    }

    /** A Vert.x instance whose own metrics (HTTP server and client, pools, event loops) go to {@code registry}. */
    public static Vertx vertx(PrometheusMeterRegistry registry) {
        return Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
    }

    /**
     * Starts listening, then loads the router in the background.
     *
     * @param server       bind address, port (0 = any free port), client API keys, body limit
     * @param experts      who answers; owned by the caller, which closes it
     * @param routerLoader loads or trains the router; runs on a worker thread
     * @param metrics      where etr's meters go; scraped by {@code GET /metrics}
     */
    public static Future<Gateway> start(Vertx vertx, ServerConfig server, ExpertRegistry experts,
                                        Callable<Router> routerLoader, PrometheusMeterRegistry metrics) {
        return start(vertx, server, experts, routerLoader, metrics, null);
    }

    /**
     * As {@link #start(Vertx, ServerConfig, ExpertRegistry, Callable, PrometheusMeterRegistry)}, with experts that
     * can be added, replaced and removed at runtime through the admin API ({@code server.adminKey} enables it).
     *
     * @param runtime the state directory's experts, restored into the router once it is loaded; null for none
     */
    public static Future<Gateway> start(Vertx vertx, ServerConfig server, ExpertRegistry experts,
                                        Callable<Router> routerLoader, PrometheusMeterRegistry metrics,
                                        RuntimeExperts runtime) {
        GatewayMetrics meters = new GatewayMetrics(metrics);
        if (runtime != null) {
            runtime.useRegistry(experts);
        }
        Routing routing = new Routing(vertx, meters, experts, runtime);
        AdminApi admin = new AdminApi(vertx, experts, runtime, server.adminKey());
        ExpertDispatcher dispatcher = new ExpertDispatcher(FailureClassifier.standard(),
                (expert, failure) -> meters.backendFailed(expert.name(), failure), new Resilience());
        meters.bind(dispatcher.resilience());
        Endpoints endpoints = new Endpoints(experts, routing, meters, metrics, server);
        // ready while the generalist can answer: an expert's open circuit only means its requests fall back
        endpoints.generalistAvailable(() -> dispatcher.resilience().circuitState(ExpertRegistry.GENERALIST)
                .map(state -> state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.FORCED_OPEN)
                .orElse(true));

        io.vertx.ext.web.Router web = io.vertx.ext.web.Router.router(vertx);
        web.route().handler(endpoints::begin);
        web.get("/health/live").handler(endpoints::live);
        web.get("/health/ready").handler(endpoints::ready);
        web.get("/metrics").handler(endpoints::metrics);
        web.route("/v1/*").handler(endpoints::authenticate);
        web.post("/v1/*").handler(BodyHandler.create(false).setBodyLimit(server.maxBodyBytes()));
        web.get("/v1/models").handler(endpoints::models);
        web.post("/v1/route").handler(endpoints::route);
        web.post("/v1/chat/completions").handler(new ChatCompletions(experts, dispatcher, routing, meters));
        web.route("/admin/*").handler(admin::authenticate);
        web.route("/admin/*").handler(BodyHandler.create(false).setBodyLimit(server.maxBodyBytes()));
        web.get("/admin/experts").handler(admin::list);
        web.post("/admin/experts").handler(admin::add);
        web.get("/admin/experts/:name").handler(admin::get);
        web.put("/admin/experts/:name").handler(admin::replace);
        web.delete("/admin/experts/:name").handler(admin::remove);
        web.post("/admin/router/retrain").handler(admin::retrain);
        web.route().failureHandler(endpoints::failure);
        web.errorHandler(404, ctx -> endpoints.error(ctx, ApiError.notFound(ctx.request().path())));
        web.errorHandler(405, ctx -> endpoints.error(ctx,
                ApiError.methodNotAllowed(ctx.request().method().name(), ctx.request().path())));

        return vertx.createHttpServer(new HttpServerOptions().setHost(server.host()).setPort(server.port()))
                .requestHandler(web)
                .listen()
                .map(listening -> {
                    routing.load(routerLoader);
                    return new Gateway(listening, routing, admin);
                });
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.actualPort();
    }

    /** Completes when the router is loaded, or fails with the loader's error. */
    public Future<Router> routerReady() {
        return routing.loaded();
    }

    /** Stops listening and releases the router's worker pool. */
    public Future<Void> close() {
        return server.close().eventually(routing::close).eventually(admin::close);
    }
}
