package dev.etr.gateway;

import dev.etr.experts.Expert;
import dev.etr.experts.ExpertRegistry;
import dev.etr.router.ChatTurn;
import dev.etr.router.ExpertTokenRouter;
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

    /** A decision, the expert it names and the version of the snapshot both came from. */
    record Routed(RoutingDecision decision, Expert expert, long snapshot) {
    }

    private final WorkerExecutor pool;
    private final GatewayMetrics metrics;
    private final ExpertRegistry experts;
    private final RuntimeExperts runtime;
    private final Promise<Router> loaded = Promise.promise();
    private volatile Router router;

    /**
     * @param runtime the runtime registry whose snapshots pair a routing head with the backends; null when the
     *                router is not an {@link ExpertTokenRouter} under runtime management
     */
    Routing(Vertx vertx, GatewayMetrics metrics, ExpertRegistry experts, RuntimeExperts runtime) {
        this.pool = vertx.createSharedWorkerExecutor(POOL, Math.max(2, Runtime.getRuntime().availableProcessors()));
        this.metrics = metrics;
        this.experts = experts;
        this.runtime = runtime;
    }

    /**
     * Loads (trains) the router on a worker thread, then restores the runtime experts into it; {@link #loaded()}
     * completes when both are done.
     */
    Future<Router> load(Callable<Router> loader) {
        Callable<Router> loadAndRestore = () -> {
            Router loadedRouter = loader.call();
            if (runtime != null && loadedRouter instanceof ExpertTokenRouter etr) {
                runtime.attach(etr);
            }
            return loadedRouter;
        };
        pool.executeBlocking(loadAndRestore, false).onComplete(result -> {
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

    /**
     * Routes with the snapshot current when the call starts, and resolves the chosen expert in that same snapshot,
     * so a request decided before a change is served as that snapshot says even if the change lands meanwhile.
     * Fails with {@link ApiError#notReady()} until the router is loaded.
     */
    Future<Routed> route(List<ChatTurn> conversation) {
        Router current = router;
        if (current == null) {
            return Future.failedFuture(ApiError.notReady());
        }
        RuntimeExperts.Snapshot snapshot = runtime == null ? null : runtime.snapshot();
        ExpertRegistry.Snapshot registered = snapshot != null ? snapshot.experts() : experts.current();
        Timer.Sample sample = metrics.start();
        return pool.executeBlocking(() -> {
            RoutingDecision decision = snapshot != null
                    ? ((ExpertTokenRouter) current).route(conversation, snapshot.head())
                    : current.route(conversation);
            Expert expert = registered.find(decision.expert()).orElseThrow(() -> new IllegalStateException(
                    "the router chose '" + decision.expert() + "', which has no backend"));
            return new Routed(decision, expert, registered.version());
        }, false).onSuccess(d -> metrics.routed(sample));
    }

    Future<Void> close() {
        return pool.close();
    }
}
