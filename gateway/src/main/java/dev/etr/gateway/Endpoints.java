package dev.etr.gateway;

import dev.etr.config.ServerConfig;
import dev.etr.experts.ChatRequest;
import dev.etr.experts.Expert;
import dev.etr.experts.ExpertRegistry;
import dev.etr.experts.InvalidRequestException;
import dev.etr.router.ChatTurn;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The small endpoints, authentication and error answers; chat completions live in {@link ChatCompletions}. */
final class Endpoints {

    private static final Logger LOG = LoggerFactory.getLogger(Endpoints.class);

    /** Paths used as the {@code endpoint} metric tag; anything else counts as "other" to bound the tag's values. */
    private static final Set<String> KNOWN_PATHS = Set.of("/v1/chat/completions", "/v1/route", "/v1/models",
            "/health/live", "/health/ready", "/metrics", "/admin/experts", "/admin/router/retrain");

    private static final String JSON = "application/json";

    private final ExpertRegistry experts;
    private final Routing routing;
    private final GatewayMetrics meters;
    private final PrometheusMeterRegistry registry;
    private final List<byte[]> apiKeys;
    private final long maxBodyBytes;
    private final long started = System.currentTimeMillis() / 1000;
    private java.util.function.BooleanSupplier generalistAvailable = () -> true;

    Endpoints(ExpertRegistry experts, Routing routing, GatewayMetrics meters, PrometheusMeterRegistry registry,
              ServerConfig server) {
        this.experts = experts;
        this.routing = routing;
        this.meters = meters;
        this.registry = registry;
        this.apiKeys = server.apiKeys().stream().map(key -> key.getBytes(StandardCharsets.UTF_8)).toList();
        this.maxBodyBytes = server.maxBodyBytes();
    }

    /** First handler of every request: its id, and its entry in the request metrics once answered. */
    void begin(RoutingContext ctx) {
        Requests.assignId(ctx);
        Timer.Sample sample = meters.start();
        String path = ctx.request().path();
        String endpoint = KNOWN_PATHS.contains(path) ? path : "other";
        ctx.addEndHandler(done -> meters.answered(sample, endpoint, Requests.expert(ctx),
                ctx.response().getStatusCode()));
        ctx.next();
    }

    void live(RoutingContext ctx) {
        json(ctx, 200, new JsonObject().put("status", "UP"));
    }

    /** Readiness also needs the generalist to be available (its circuit not open). */
    void generalistAvailable(java.util.function.BooleanSupplier available) {
        this.generalistAvailable = available;
    }

    void ready(RoutingContext ctx) {
        if (routing.ready() && !generalistAvailable.getAsBoolean()) {
            json(ctx, 503, new JsonObject().put("status", "GENERALIST_UNAVAILABLE"));
        } else if (routing.ready()) {
            json(ctx, 200, new JsonObject().put("status", "READY"));
        } else {
            json(ctx, 503, new JsonObject().put("status", routing.loaded().failed() ? "FAILED" : "LOADING"));
        }
    }

    void metrics(RoutingContext ctx) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                .end(registry.scrape());
    }

    /** With API keys configured, {@code /v1/*} needs {@code Authorization: Bearer <one of them>}. */
    void authenticate(RoutingContext ctx) {
        if (apiKeys.isEmpty() || presentsKey(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            ctx.next();
        } else {
            ctx.fail(ApiError.unauthorized());
        }
    }

    private boolean presentsKey(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (byte[] key : apiKeys) {
            match |= MessageDigest.isEqual(key, presented);  // constant time, and no early exit
        }
        return match;
    }

    /** {@code GET /v1/models}: {@code auto}, every expert, the generalist, in OpenAI's list shape. */
    void models(RoutingContext ctx) {
        JsonArray data = new JsonArray();
        Stream.concat(Stream.of(ChatCompletions.AUTO),
                        Stream.concat(experts.experts().stream(), Stream.of(experts.generalist())).map(Expert::name))
                .forEach(id -> data.add(new JsonObject()
                        .put("id", id).put("object", "model").put("created", started).put("owned_by", "etr")));
        json(ctx, 200, new JsonObject().put("object", "list").put("data", data));
    }

    /** {@code POST /v1/route}: the decision for {@code {"messages":[...]}} or {@code {"text":"..."}}. */
    void route(RoutingContext ctx) {
        List<ChatTurn> conversation;
        try {
            conversation = conversation(Requests.body(ctx));
        } catch (Exception e) {
            ctx.fail(e);
            return;
        }
        routing.route(conversation)
                .onSuccess(routed -> {
                    Requests.tagExpert(ctx, routed.decision().expert());
                    ctx.response().putHeader(Requests.SNAPSHOT_HEADER, String.valueOf(routed.snapshot()));
                    json(ctx, 200, RoutingJson.of(routed.decision()));
                })
                .onFailure(ctx::fail);
    }

    private static List<ChatTurn> conversation(Buffer body) throws InvalidRequestException {
        JsonObject json;
        try {
            json = body.toJsonObject();
        } catch (DecodeException | ClassCastException e) {
            throw ApiError.malformedJson();
        }
        if (json == null) {
            throw ApiError.malformedJson();
        }
        if (json.containsKey("text")) {
            if (!(json.getValue("text") instanceof String text) || text.isBlank()) {
                throw ApiError.invalid("Invalid 'text': expected a non-empty string.", "text");
            }
            return List.of(ChatTurn.user(text));
        }
        return ChatRequest.parse(body).messages().stream().map(m -> new ChatTurn(m.role(), m.text())).toList();
    }

    /** Failure handler: every failed request ends here and is answered in OpenAI's error shape. */
    void failure(RoutingContext ctx) {
        if (ctx.response().closed()) {
            return;  // the client went away: nobody to answer, nothing went wrong on our side
        }
        Throwable failure = ctx.failure();
        ApiError error = failure == null ? byStatus(ctx.statusCode()) : ApiError.of(failure);
        if (error == null) {
            LOG.error("request {} failed", Requests.id(ctx), failure);
            error = ApiError.internal();
        }
        error(ctx, error);
    }

    private ApiError byStatus(int status) {
        return switch (status) {
            case 413 -> ApiError.tooLarge(maxBodyBytes);
            case 400 -> ApiError.malformedJson();
            default -> ApiError.internal();
        };
    }

    void error(RoutingContext ctx, ApiError error) {
        if (ctx.response().headWritten()) {
            ctx.response().reset();  // too late for an error answer: cut the connection rather than fake an end
            return;
        }
        if (error.status == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
        }
        json(ctx, error.status, error.toJson());
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body.toBuffer());
    }
}
