package dev.etr.gateway;

import dev.etr.experts.BackendException;
import dev.etr.experts.BackendFailure;
import dev.etr.experts.BackendReply;
import dev.etr.experts.CallContext;
import dev.etr.experts.ChatRequest;
import dev.etr.experts.Expert;
import dev.etr.experts.ExpertDispatcher;
import dev.etr.experts.ExpertDispatcher.Dispatched;
import dev.etr.experts.ExpertDispatcher.Skipped;
import dev.etr.experts.ExpertRegistry;
import dev.etr.router.ChatTurn;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code POST /v1/chat/completions}: picks the expert (routed for {@code model: "auto"}, else by name), sends the
 * request to its backend and forwards the upstream answer (status, headers, body) as it arrives.
 */
final class ChatCompletions implements Handler<RoutingContext> {

    static final String AUTO = "auto";

    private static final Logger LOG = LoggerFactory.getLogger(ChatCompletions.class);

    /** Headers that describe one connection, not the message; never forwarded (RFC 9110 §7.6.1). */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "te", "trailer", "upgrade");

    /**
     * Who answers, and why. Confidence is 1 when the client named the expert itself. {@code snapshot} is the version
     * of the registry snapshot the choice was made with (routing head and backends together).
     */
    private record Choice(Expert expert, double confidence, long snapshot) {
    }

    private final ExpertRegistry experts;
    private final ExpertDispatcher dispatcher;
    private final Routing routing;
    private final GatewayMetrics metrics;

    ChatCompletions(ExpertRegistry experts, ExpertDispatcher dispatcher, Routing routing, GatewayMetrics metrics) {
        this.experts = experts;
        this.dispatcher = dispatcher;
        this.routing = routing;
        this.metrics = metrics;
    }

    @Override
    public void handle(RoutingContext ctx) {
        ChatRequest request;
        try {
            request = ChatRequest.parse(Requests.body(ctx));
        } catch (Exception e) {
            ctx.fail(e);
            return;
        }
        String model = request.model();
        if (model == null || model.isBlank()) {
            ctx.fail(ApiError.invalid("Missing required parameter: 'model'. Use 'auto' to let etr route.", "model"));
            return;
        }
        // A client that goes away ends the request at once (vertx-web's end handlers see the closed connection); the
        // backend then stops its upstream call, whether the answer has started or not.
        Promise<Void> abandoned = Promise.promise();
        ctx.addEndHandler(ended -> {
            if (ended.failed()) {
                abandoned.tryComplete();
            }
        });
        CallContext call = new CallContext(Requests.id(ctx), abandoned.future());
        choose(model, request)
                .compose(choice -> {
                    Requests.tagExpert(ctx, choice.expert().name());
                    ctx.response()
                            .putHeader(Requests.EXPERT_HEADER, choice.expert().name())
                            .putHeader(Requests.CONFIDENCE_HEADER, String.valueOf(choice.confidence()))
                            .putHeader(Requests.SNAPSHOT_HEADER, String.valueOf(choice.snapshot()));
                    ExpertRegistry.Snapshot now = experts.current();
                    List<Expert> candidates = ExpertDispatcher.candidates(choice.expert(), now::find, now.generalist());
                    return dispatcher.dispatch(candidates, request, call);
                })
                .onSuccess(dispatched -> forward(ctx, dispatched))
                .onFailure(failure -> {
                    if (failure instanceof BackendException exhausted && !exhausted.skipped().isEmpty()) {
                        Skipped first = exhausted.skipped().get(0);
                        metrics.fallback(first.expert().name(), GatewayMetrics.NO_EXPERT, first.reason());
                        if (exhausted.skipped().size() > 1 && !ctx.response().headWritten()) {
                            ctx.response().putHeader(Requests.FALLBACK_HEADER, first.reason());
                        }
                        LOG.warn("request {}: no backend could answer: {}", Requests.id(ctx),
                                exhausted.skipped().stream().map(s -> s.expert().name() + "=" + s.reason())
                                        .collect(Collectors.joining(", ")));
                    }
                    ctx.fail(failure);
                });
    }

    private Future<Choice> choose(String model, ChatRequest request) {
        if (AUTO.equals(model)) {
            List<ChatTurn> conversation = request.messages().stream()
                    .map(m -> new ChatTurn(m.role(), m.text())).toList();
            // routed and resolved with one snapshot: the expert chosen is served by that snapshot's backend
            return routing.route(conversation).map(routed -> new Choice(
                    routed.expert(), routed.decision().confidence(), routed.snapshot()));
        }
        ExpertRegistry.Snapshot snapshot = experts.current();
        return snapshot.find(model)
                .map(expert -> Future.succeededFuture(new Choice(expert, 1.0, snapshot.version())))
                .orElseGet(() -> Future.failedFuture(ApiError.modelNotFound(model)));
    }

    private void forward(RoutingContext ctx, Dispatched dispatched) {
        BackendReply reply = dispatched.reply();
        HttpServerResponse response = ctx.response();
        // etr's own headers (already set) win over an upstream's headers of the same name
        Set<String> ours = response.headers().names().stream()
                .map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        reply.headers().forEach(header -> {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !ours.contains(name)) {
                response.headers().add(header.getKey(), header.getValue());
            }
        });
        response.putHeader(Requests.SERVED_BY_HEADER, dispatched.servedBy().name()).setStatusCode(reply.status());
        dispatched.fallbackReason().ifPresent(reason -> {
            String routed = dispatched.skipped().get(0).expert().name();
            response.putHeader(Requests.FALLBACK_HEADER, reason);
            metrics.fallback(routed, dispatched.servedBy().name(), reason);
            LOG.info("request {}: '{}' answered for '{}' ({})", Requests.id(ctx), dispatched.servedBy().name(),
                    routed, dispatched.skipped().stream().map(s -> s.expert().name() + "=" + s.reason())
                            .collect(Collectors.joining(", ")));
        });
        if (!response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            response.setChunked(true);
        }
        boolean eventStream = isEventStream(reply.headers());
        if (eventStream) {
            metrics.streamStarted();
        }
        // The pipe moves chunks as they arrive and pauses the upstream while the client is slow.
        reply.body().pipe().endOnFailure(false).to(response).onComplete(piped -> {
            if (eventStream) {
                metrics.streamEnded();
            }
            if (piped.succeeded()) {
                return;
            }
            if (response.closed()) {
                return;  // the client went away, and the call was abandoned with it
            }
            brokenUpstream(ctx, dispatched.servedBy(), eventStream, piped.cause());
        });
    }

    /**
     * The upstream broke after the status line went out: there is no status left to change. A stream ends with an
     * error event (never a clean end that looks complete); any other body is cut by resetting the connection.
     */
    private void brokenUpstream(RoutingContext ctx, Expert servedBy, boolean eventStream, Throwable cause) {
        BackendFailure failure = dispatcher.classifier().classify(cause);
        metrics.backendFailed(servedBy.name(), failure);
        metrics.brokenAnswer(servedBy.name(), failure, eventStream);
        LOG.warn("request {}: expert '{}' broke off mid-answer: {} ({})", Requests.id(ctx), servedBy.name(),
                failure.message(), cause.toString());
        if (eventStream) {
            ctx.response().end(Buffer.buffer("data: " + ApiError.backend(failure).toJson().encode() + "\n\n"));
        } else {
            ctx.response().reset();
        }
    }

    private static boolean isEventStream(MultiMap headers) {
        String type = headers.get(HttpHeaders.CONTENT_TYPE);
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
    }
}
