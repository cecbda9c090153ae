package dev.etr.gateway;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.etr.config.BackendConfig;
import dev.etr.config.ConfigException;
import dev.etr.config.ExpertConfig;
import dev.etr.experts.ExpertRegistry;
import dev.etr.experts.ExpertRegistry.Entry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The admin API: {@code GET|POST /admin/experts}, {@code GET|PUT|DELETE /admin/experts/{name}},
 * {@code POST /admin/router/retrain}. See the README.
 *
 * <p>Changes run one at a time on the one-thread worker pool {@value #POOL} (encoding, training and fsync block),
 * never on an event loop; {@link RuntimeExperts} holds the lock that serialises them.
 */
final class AdminApi {

    static final String POOL = "etr-admin";
    static final String KEY_VARIABLE = "ETR_ADMIN_KEY";

    private static final Set<String> FIELDS = Set.of("name", "description", "systemPrompt", "backend", "examples",
            "examplesFile");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final ExpertRegistry experts;
    private final RuntimeExperts runtime;
    private final byte[] adminKey;
    private final WorkerExecutor pool;

    /**
     * @param runtime  null when the gateway runs without a state directory: changes then answer 503
     * @param adminKey null disables the admin API (403 saying how to enable it)
     */
    AdminApi(Vertx vertx, ExpertRegistry experts, RuntimeExperts runtime, String adminKey) {
        this.experts = experts;
        this.runtime = runtime;
        this.adminKey = adminKey == null ? null : adminKey.getBytes(StandardCharsets.UTF_8);
        this.pool = vertx.createSharedWorkerExecutor(POOL, 1, 10, TimeUnit.MINUTES);
    }

    void authenticate(RoutingContext ctx) {
        if (adminKey == null) {
            ctx.fail(ApiError.admin(403, "The admin API is disabled. Enable it by setting the environment variable "
                    + KEY_VARIABLE + " (or server.adminKey in the configuration) before ./etr serve, then send "
                    + "'Authorization: Bearer <that key>'.", null, "admin_disabled"));
            return;
        }
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        boolean ok = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && MessageDigest.isEqual(adminKey, authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8));
        if (ok) {
            ctx.next();
        } else {
            ctx.fail(ApiError.admin(401, "Incorrect or missing admin key. Send it as 'Authorization: Bearer <key>' "
                    + "(the key set in " + KEY_VARIABLE + " or server.adminKey).", null, "invalid_admin_key"));
        }
    }

    /** {@code GET /admin/experts}. */
    void list(RoutingContext ctx) {
        ExpertRegistry.Snapshot snapshot = experts.current();
        JsonArray data = new JsonArray();
        snapshot.entries().forEach(entry -> data.add(describe(entry)));
        json(ctx, 200, new JsonObject().put("object", "list").put("snapshot", snapshot.version()).put("data", data)
                .put("state_file", runtime == null ? null : runtime.store().file().toString()));
    }

    /** {@code GET /admin/experts/{name}}. */
    void get(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        experts.current().entry(name).ifPresentOrElse(entry -> json(ctx, 200, describe(entry)),
                () -> ctx.fail(notFound(name)));
    }

    /** {@code POST /admin/experts}. */
    void add(RoutingContext ctx) {
        ExpertConfig expert;
        try {
            expert = parse(ctx, null);
        } catch (ApiError e) {
            ctx.fail(e);
            return;
        }
        change(ctx, 201, () -> {
            JsonNode report = runtime().add(expert);
            return describe(experts.current().entry(expert.name()).orElseThrow()).put("report", new JsonObject(report.toString()));
        });
    }

    /** {@code PUT /admin/experts/{name}}: fields left out keep their value. */
    void replace(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        Entry entry = experts.current().entry(name).orElse(null);
        if (entry == null) {
            ctx.fail(notFound(name));
            return;
        }
        ExpertConfig expert;
        try {
            expert = parse(ctx, entry.config());
        } catch (ApiError e) {
            ctx.fail(e);
            return;
        }
        change(ctx, 200, () -> {
            JsonNode report = runtime().replace(expert);
            JsonObject answer = describe(experts.current().entry(name).orElseThrow());
            return report == null ? answer : answer.put("report", new JsonObject(report.toString()));
        });
    }

    /** {@code DELETE /admin/experts/{name}}. */
    void remove(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        change(ctx, 200, () -> {
            runtime().remove(name);
            return new JsonObject().put("deleted", name).put("snapshot", experts.current().version());
        });
    }

    /** {@code POST /admin/router/retrain}. */
    void retrain(RoutingContext ctx) {
        change(ctx, 200, () -> new JsonObject(runtime().retrain().toString()));
    }

    private void change(RoutingContext ctx, int status, Callable<JsonObject> work) {
        pool.executeBlocking(work, true)
                .onSuccess(answer -> json(ctx, status, answer))
                .onFailure(ctx::fail);
    }

    private RuntimeExperts runtime() {
        if (runtime == null) {
            throw ApiError.admin(503, "This gateway runs without a state directory, so experts cannot be changed at "
                    + "runtime.", null, "admin_unavailable");
        }
        return runtime;
    }

    private JsonObject describe(Entry entry) {
        BackendConfig backend = entry.config().backend();
        JsonObject json = new JsonObject()
                .put("name", entry.name())
                .put("object", "expert")
                .put("description", entry.config().description())
                .put("source", entry.source().label());
        if (entry.source() == ExpertRegistry.Source.CONFIG && runtime != null) {
            json.put("declared_in", runtime.configSource());
        }
        json.put("backend", new JsonObject().put("type", backend.type().name()).put("baseUrl", backend.baseUrl())
                .put("model", backend.model()).put("apiKey", backend.apiKey() == null ? null : "***"));
        json.put("systemPrompt", entry.config().systemPrompt());
        int count = runtime == null ? -1 : runtime.exampleCount(entry.name());
        json.put("examples", count >= 0 ? count : entry.config().examples().size());
        JsonNode report = runtime == null ? null : runtime.report(entry.name());
        json.put("report", report == null || report.isNull() ? null : new JsonObject(report.toString()));
        return json;
    }

    /**
     * The expert a request body describes; with {@code base}, fields the body leaves out keep {@code base}'s values.
     * Only the body's shape is checked here (on the event loop); values are validated with the change.
     */
    private ExpertConfig parse(RoutingContext ctx, ExpertConfig base) {
        JsonObject body;
        try {
            body = Requests.body(ctx).toJsonObject();
        } catch (DecodeException | ClassCastException e) {
            throw ApiError.malformedJson();
        }
        if (body == null) {
            throw ApiError.malformedJson();
        }
        for (String field : body.fieldNames()) {
            if (!FIELDS.contains(field)) {
                throw ApiError.invalid("Unknown parameter: '" + field + "'. Known: "
                        + FIELDS.stream().sorted().collect(Collectors.joining(", ")) + ".", field);
            }
        }
        String name = string(body, "name", base == null ? null : base.name());
        if (base == null && (name == null || name.isBlank())) {
            throw ApiError.invalid("Missing required parameter: 'name'.", "name");
        }
        if (base != null && !base.name().equals(name)) {
            throw ApiError.invalid("Invalid 'name': '" + name + "' differs from the name in the path, '"
                    + base.name() + "' (an expert cannot be renamed).", "name");
        }
        String description = string(body, "description", base == null ? null : base.description());
        String systemPrompt = string(body, "systemPrompt", base == null ? null : base.systemPrompt());
        BackendConfig backend = body.containsKey("backend") ? backend(body.getValue("backend"))
                : base == null ? null : base.backend();
        if (backend == null) {
            throw ApiError.invalid("Missing required parameter: 'backend' (e.g. {\"type\":\"openai\",\"baseUrl\":"
                    + "\"http://127.0.0.1:9001/v1\",\"model\":\"...\"}).", "backend");
        }
        List<String> examples;
        String examplesFile;
        if (body.containsKey("examples") || body.containsKey("examplesFile")) {
            examples = examples(body.getValue("examples"));
            examplesFile = string(body, "examplesFile", null);
        } else {
            examples = base == null ? List.of() : base.examples();
            examplesFile = null;
        }
        if (examples.isEmpty() && examplesFile == null) {
            throw ApiError.invalid("Missing 'examples': the expert's token is trained from example requests; send "
                    + "a non-empty list of strings in 'examples' (or a server-side JSON Lines file in 'examplesFile').",
                    "examples");
        }
        return new ExpertConfig(name, description, backend, examples, examplesFile, systemPrompt);
    }

    private static String string(JsonObject body, String field, String fallback) {
        if (!body.containsKey(field)) {
            return fallback;
        }
        Object value = body.getValue(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw ApiError.invalid("Invalid '" + field + "': expected a string.", field);
        }
        return s;
    }

    private static List<String> examples(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof JsonArray array)) {
            throw ApiError.invalid("Invalid 'examples': expected a list of strings.", "examples");
        }
        List<String> examples = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.getValue(i) instanceof String s) || s.isBlank()) {
                throw ApiError.invalid("Invalid 'examples[" + i + "]': expected a non-empty string.",
                        "examples[" + i + "]");
            }
            examples.add(s);
        }
        return examples;
    }

    private static BackendConfig backend(Object value) {
        if (!(value instanceof JsonObject object)) {
            throw ApiError.invalid("Invalid 'backend': expected an object like {\"type\":\"openai\",\"baseUrl\":...,"
                    + "\"model\":...}.", "backend");
        }
        try {
            return JSON.readValue(object.encode(), BackendConfig.class);
        } catch (UnrecognizedPropertyException e) {
            String known = Arrays.stream(BackendConfig.class.getRecordComponents()).map(c -> c.getName())
                    .collect(Collectors.joining(", "));
            throw ApiError.invalid("Unknown parameter: 'backend." + e.getPropertyName() + "'. Known: " + known + ".",
                    "backend." + e.getPropertyName());
        } catch (InvalidFormatException e) {
            String field = "backend." + path(e);
            String what = e.getTargetType().isEnum()
                    ? "'" + e.getValue() + "' is not a backend type etr knows; use one of " + Arrays.stream(
                            e.getTargetType().getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "))
                    : "'" + e.getValue() + "' is not valid";
            throw ApiError.invalid("Invalid '" + field + "': " + what + ".", field);
        } catch (ValueInstantiationException e) {
            throw ApiError.invalid("Invalid 'backend': " + e.getCause().getMessage() + ".", "backend");
        } catch (JsonMappingException e) {
            String field = "backend" + (path(e).isEmpty() ? "" : "." + path(e));
            throw ApiError.invalid("Invalid '" + field + "': " + e.getOriginalMessage().lines().findFirst().orElse("")
                    + ".", field);
        } catch (Exception e) {
            throw ApiError.invalid("Invalid 'backend': " + e.getMessage() + ".", "backend");
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    /** A configuration problem as a 400 naming the first bad field (every problem is in the message). */
    static ApiError invalid(ConfigException e) {
        String first = e.errors().get(0);
        int colon = first.indexOf(": ");
        String param = colon > 0 && !first.substring(0, colon).contains(" ") ? first.substring(0, colon) : null;
        if (param == null && first.contains("needs examples")) {
            param = "examples";
        }
        return ApiError.invalid("Invalid expert: " + String.join("; ", e.errors()) + ".", param);
    }

    private static ApiError notFound(String name) {
        return ApiError.admin(404, "No expert named '" + name + "'. GET /admin/experts lists them; POST /admin/experts "
                + "adds one.", "name", "expert_not_found");
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(body.toBuffer());
    }

    Future<Void> close() {
        return pool.close();
    }
}
