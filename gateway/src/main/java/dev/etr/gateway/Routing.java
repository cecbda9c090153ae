package dev.etr.gateway;

import dev.etr.router.ChatTurn;
import dev.etr.router.Router;
import dev.etr.router.RoutingDecision;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * The router, loaded in the background and run on its own worker pool.
 *
 * <p>{@link Router#route} runs the meta-model and blocks, so it never runs on an event loop. Calls are unordered:
 * concurrent requests route in parallel, up to the pool size.
 */
final class Routing {

    static final String POOL = "etr-router";

    private final WorkerExecutor pool;
    private final GatewayMetrics metrics;
    private final Promise<Router> loaded = Promise.promise();
    private volatile Router router;

    Routing(Vertx vertx, GatewayMetrics metrics) {
        this.pool = vertx.createSharedWorkerExecutor(POOL, Math.max(2, Runtime.getRuntime().availableProcessors()));
        this.metrics = metrics;
    }

    /** Loads (trains) the router on a worker thread; {@link #loaded()} completes when it is ready. */
    Future<Router> load(Callable<Router> loader) {
        pool.executeBlocking(loader, false).onComplete(result -> {
            if (result.succeeded()) {
                router = result.result();
            }
            loaded.handle(result);
        });
        return loaded.future();
    }

    Future<Router> loaded() {
        return loaded.future();
    }

    boolean ready() {
        return router != null;
    }

    /** Fails with {@link ApiError#notReady()} until the router is loaded. */
    Future<RoutingDecision> route(List<ChatTurn> conversation) {
        Router current = router;
        if (current == null) {
            return Future.failedFuture(ApiError.notReady());
        }
        Timer.Sample sample = metrics.start();
        return pool.executeBlocking(() -> current.route(conversation), false).onSuccess(d -> metrics.routed(sample));
    }

    Future<Void> close() {
        return pool.close();
    }
}
