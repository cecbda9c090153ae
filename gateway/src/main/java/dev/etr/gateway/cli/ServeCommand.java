package dev.etr.gateway.cli;

import dev.etr.config.EtrConfig;
import dev.etr.config.ServerConfig;
import dev.etr.experts.ExpertRegistry;
import dev.etr.experts.registry.StateStore;
import dev.etr.gateway.Gateway;
import dev.etr.gateway.RuntimeExperts;
import dev.etr.router.ExpertTokenRouter;
import dev.etr.router.Router;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/** {@code ./etr serve}: the gateway, until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the OpenAI-compatible gateway. It listens at once and trains the expert tokens in the",
                "background; GET /health/ready turns 200 when routing is ready."})
final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger("etr");

    @Mixin
    ConfigOptions options;

    @Option(names = "--port", paramLabel = "N", description = "Port to listen on, 0 for any free one (default: server.port, 8080).")
    Integer port;

    @Option(names = "--host", paramLabel = "H", description = "Address to listen on (default: server.host, 127.0.0.1).")
    String host;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "${env:ETR_STATE_DIR:-.etr/state}",
            description = {"Where experts added at runtime (admin API) are kept, crash-safely, across restarts",
                    "(default ${DEFAULT-VALUE})."})
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        EtrConfig config = options.load();
        ServerConfig s = config.server();
        String adminKey = System.getenv(AdminKey.VARIABLE);
        ServerConfig server = new ServerConfig(host != null ? host : s.host(), port != null ? port : s.port(),
                s.apiKeys(), s.maxBodyBytes(), adminKey != null && !adminKey.isBlank() ? adminKey : s.adminKey());
        // a state file etr cannot fully read stops it here, before anything listens
        RuntimeExperts runtime = RuntimeExperts.open(new StateStore(stateDir), config,
                options.config == null ? "the embedded default configuration" : options.config.toString());
        if (options.demo) {
            LOG.warn("DEMO MODE: every backend is a MOCK that answers canned text; no LLM is called");
        }

        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Vertx vertx = Gateway.vertx(metrics);
        ExpertRegistry experts = ExpertRegistry.fromConfig(vertx, config, runtime.restored());
        for (ExpertRegistry.Entry entry : experts.current().entries()) {
            LOG.info("expert {} → {} ({})", entry.name(), entry.expert().backend().describe(),
                    entry.source() == ExpertRegistry.Source.CONFIG ? "configuration" : "runtime, " + runtime.store().file());
        }
        LOG.info("state directory {}: {} runtime expert(s) to restore{}", stateDir.toAbsolutePath(),
                runtime.restored().size(), runtime.restored().isEmpty() ? ""
                        : " (" + runtime.restored().stream().map(e -> e.name()).collect(Collectors.joining(", ")) + ")");
        LOG.info("generalist → {}", experts.generalist().backend().describe());

        Callable<Router> training = () -> {
            LOG.info("training the expert tokens (meta-model: {})…", config.router().metaModel().type());
            long start = System.nanoTime();
            ExpertTokenRouter router = ExpertTokenRouter.fromConfig(config, options.cacheDir);
            LOG.info("router ready in {} ms; examples per token: {}", (System.nanoTime() - start) / 1_000_000,
                    router.exampleCounts().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(", ")));
            return router;
        };
        Gateway gateway = await(Gateway.start(vertx, server, experts, training, metrics, runtime));
        String base = "http://" + server.host() + ":" + gateway.port();
        LOG.info("etr listening on {} (OpenAI base URL: {}/v1; auth: {}; admin API: {})", base, base,
                server.apiKeys().isEmpty() ? "none" : server.apiKeys().size() + " API key(s)",
                server.adminKey() == null ? "disabled (set " + AdminKey.VARIABLE + " to enable)" : "enabled");

        CompletableFuture<Integer> exit = new CompletableFuture<>();
        gateway.routerReady().onFailure(e -> {
            LOG.error("training the router failed; stopping", e);
            exit.complete(1);
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            exit.complete(0);
            stop(gateway, experts, vertx);
        }, "etr-shutdown"));
        int code = exit.get();
        if (code != 0) {
            stop(gateway, experts, vertx);
        }
        return code;
    }

    private static void stop(Gateway gateway, ExpertRegistry experts, Vertx vertx) {
        try {
            await(gateway.close().eventually(experts::close));
            // Vert.x is closed from this thread, outside its own future chains, whose event loops it is about to stop.
            await(vertx.close());
            if (gateway.routerReady().result() instanceof AutoCloseable router) {
                router.close();  // flushes the embedding cache
            }
            LOG.info("etr stopped");
        } catch (Exception e) {
            LOG.warn("shutdown was not clean", e);
        }
    }

    /** Where the admin key comes from besides {@code server.adminKey}. */
    static final class AdminKey {
        static final String VARIABLE = "ETR_ADMIN_KEY";

        private AdminKey() {
        }
    }

    static <T> T await(Future<T> future) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
