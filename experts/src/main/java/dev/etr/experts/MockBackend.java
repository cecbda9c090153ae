package dev.etr.experts;

import dev.etr.config.BackendConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code type: mock}: answers canned text, plainly marked as such, in OpenAI's shapes (a {@code chat.completion}, or
 * {@code chat.completion.chunk} server-sent events ending with {@code [DONE]}). Lets a newcomer see the whole flow
 * without any LLM server.
 */
final class MockBackend implements ExpertBackend {

    /** Pause between streamed chunks, so a terminal shows the answer arriving piece by piece. */
    static final Duration DEMO_PACE = Duration.ofMillis(15);

    private static final int QUOTE_LIMIT = 80;
    private static final Pattern TOKENS = Pattern.compile("\\S+\\s*");

    private final Vertx vertx;
    private final String expert;
    private final String model;
    private final long paceMillis;
    private final BackendConfig config;

    MockBackend(Vertx vertx, String expert, String model, Duration pace) {
        this(vertx, new BackendConfig(BackendConfig.Type.mock, null, model, null, null, null), expert, pace);
    }

    MockBackend(Vertx vertx, BackendConfig config, String expert, Duration pace) {
        this.vertx = vertx;
        this.expert = expert;
        this.config = config;
        String model = config.model();
        this.model = model == null || model.isBlank() ? "mock-" + expert : model;
        this.paceMillis = pace.toMillis();
    }

    @Override
    public Future<BackendReply> send(ChatRequest request, CallContext call) {
        String answer = answer(request);
        String id = "chatcmpl-mock-" + UUID.randomUUID().toString().replace("-", "");
        long created = System.currentTimeMillis() / 1000;
        JsonObject usage = usage(request, answer);
        Context context = vertx.getOrCreateContext();
        if (!request.stream()) {
            JsonObject completion = envelope(id, created, "chat.completion")
                    .put("choices", new JsonArray().add(new JsonObject()
                            .put("index", 0)
                            .put("message", new JsonObject().put("role", "assistant").put("content", answer))
                            .putNull("logprobs")
                            .put("finish_reason", "stop")))
                    .put("usage", usage);
            Buffer body = completion.toBuffer();
            return reply(call, headers("application/json").set(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length())),
                    new ChunkStream(context, List.of(body), 0));
        }
        List<Buffer> events = new ArrayList<>();
        events.add(event(chunk(id, created, new JsonObject().put("role", "assistant").put("content", ""), null)));
        Matcher tokens = TOKENS.matcher(answer);
        while (tokens.find()) {
            events.add(event(chunk(id, created, new JsonObject().put("content", tokens.group()), null)));
        }
        events.add(event(chunk(id, created, new JsonObject(), "stop")));
        if (request.includeUsage()) {
            events.add(event(envelope(id, created, "chat.completion.chunk")
                    .put("choices", new JsonArray()).put("usage", usage).encode()));
        }
        events.add(event("[DONE]"));
        return reply(call, headers("text/event-stream").set(HttpHeaders.CACHE_CONTROL, "no-cache"),
                new ChunkStream(context, events, paceMillis));
    }

    private static Future<BackendReply> reply(CallContext call, MultiMap headers, ChunkStream body) {
        call.abandoned().onComplete(gone -> body.cancel());
        return Future.succeededFuture(new MockReply(headers, body));
    }

    @Override
    public BackendConfig config() {
        return config;
    }

    @Override
    public String describe() {
        return "mock (canned answers) model=" + model;
    }

    private String answer(ChatRequest request) {
        String asked = request.messages().stream()
                .filter(m -> m.role().equals("user"))
                .reduce((first, second) -> second)
                .map(ChatRequest.Message::text)
                .orElse("")
                .strip()
                .replaceAll("\\s+", " ");
        if (asked.length() > QUOTE_LIMIT) {
            asked = asked.substring(0, QUOTE_LIMIT) + "…";
        }
        return "[MOCK ANSWER from etr's demo backend for expert \"" + expert + "\"] This is canned text, not a model's "
                + "answer. etr routed your message (\"" + asked + "\") to \"" + expert + "\". Give this expert a real "
                + "backend (type: openai) to get real answers.";
    }

    private JsonObject envelope(String id, long created, String object) {
        return new JsonObject().put("id", id).put("object", object).put("created", created).put("model", model)
                .putNull("system_fingerprint");
    }

    private String chunk(String id, long created, JsonObject delta, String finishReason) {
        return envelope(id, created, "chat.completion.chunk")
                .put("choices", new JsonArray().add(new JsonObject()
                        .put("index", 0).put("delta", delta).putNull("logprobs").put("finish_reason", finishReason)))
                .encode();
    }

    private static JsonObject usage(ChatRequest request, String answer) {
        int prompt = request.messages().stream().mapToInt(m -> words(m.text())).sum();
        int completion = words(answer);
        return new JsonObject().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }

    private static int words(String text) {
        return text.isBlank() ? 0 : text.strip().split("\\s+").length;
    }

    private static Buffer event(String data) {
        return Buffer.buffer("data: " + data + "\n\n");
    }

    private static MultiMap headers(String contentType) {
        return HttpHeaders.headers().set(HttpHeaders.CONTENT_TYPE, contentType).set("x-etr-mock", "true");
    }

    private record MockReply(MultiMap headers, ChunkStream stream) implements BackendReply {

        @Override
        public int status() {
            return 200;
        }

        @Override
        public ReadStream<Buffer> body() {
            return stream;
        }

        @Override
        public void cancel() {
            stream.cancel();
        }
    }
}
