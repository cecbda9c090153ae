package dev.etr.experts;

import dev.etr.config.BackendConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;

/**
 * One upstream that answers OpenAI chat completions.
 *
 * <p>A backend is pure transport: it replaces {@code model} with its own model name, sends the request and hands
 * back whatever the upstream answered, whatever its status. Failures to get an answer at all (connection refused,
 * timeout, reset) fail the future with the transport's own exception; {@link ExpertDispatcher} sorts them.
 */
public interface ExpertBackend {

    /**
     * Sends one chat completion. Call it on a Vert.x context (an event loop, as in any request handler): the reply
     * is handed over there, before its first chunk can arrive.
     *
     * @param request the client's body; every field but {@code model} goes upstream untouched
     * @param call    the request id to forward, and the signal to stop when the client goes away
     * @return the upstream's reply, its body paused until the caller consumes it
     */
    Future<BackendReply> send(ChatRequest request, CallContext call);

    /** A loggable description (type, address, model); never contains secrets. */
    String describe();

    /** The configuration the backend was built from (its timeout and fault-tolerance settings); defaults if none. */
    default BackendConfig config() {
        return BackendConfig.mock();
    }

    /**
     * The backend a configuration describes.
     *
     * @param http   shared client for {@code openai} backends (its connection pool is shared too)
     * @param expert the expert this backend serves, named in mock answers
     */
    static ExpertBackend create(Vertx vertx, HttpClient http, String expert, BackendConfig config) {
        return switch (config.type()) {
            case openai -> new OpenAiBackend(http, config);
            case mock -> new MockBackend(vertx, config, expert, MockBackend.DEMO_PACE);
        };
    }
}
