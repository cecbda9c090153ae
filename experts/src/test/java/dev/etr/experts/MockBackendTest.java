package dev.etr.experts;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MockBackendTest {

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        Await.result(vertx.close());
    }

    private static ChatRequest request(boolean stream, boolean usage) throws InvalidRequestException {
        return ChatRequest.parse(Buffer.buffer("{\"model\":\"auto\",\"stream\":" + stream
                + (usage ? ",\"stream_options\":{\"include_usage\":true}" : "")
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Integrate x squared\"}]}"));
    }

    @Test
    void should_answer_a_marked_chat_completion_when_not_streaming() throws Exception {
        ExpertBackend backend = new MockBackend(vertx, "math", null, Duration.ZERO);
        ChatRequest request = request(false, false);

        BackendReply reply = Await.result(Await.onContext(vertx, () -> backend.send(request, CallContext.of("r"))));
        JsonObject completion = Await.result(Await.body(reply.body())).toJsonObject();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers().get("content-type")).isEqualTo("application/json");
        assertThat(completion.getString("object")).isEqualTo("chat.completion");
        assertThat(completion.getString("model")).isEqualTo("mock-math");
        JsonObject choice = completion.getJsonArray("choices").getJsonObject(0);
        assertThat(choice.getString("finish_reason")).isEqualTo("stop");
        assertThat(choice.getJsonObject("message").getString("content"))
                .startsWith("[MOCK ANSWER from etr's demo backend for expert \"math\"]")
                .contains("Integrate x squared");
        assertThat(completion.getJsonObject("usage").getInteger("prompt_tokens")).isEqualTo(3);
    }

    @Test
    void should_stream_chunks_ending_with_done_when_streaming() throws Exception {
        ExpertBackend backend = new MockBackend(vertx, "math", "demo", Duration.ZERO);
        ChatRequest request = request(true, true);

        BackendReply reply = Await.result(Await.onContext(vertx, () -> backend.send(request, CallContext.of("r"))));
        List<String> events = Arrays.stream(Await.result(Await.body(reply.body())).toString().split("\n\n"))
                .map(event -> event.substring("data: ".length())).toList();

        assertThat(reply.headers().get("content-type")).isEqualTo("text/event-stream");
        assertThat(events).last().isEqualTo("[DONE]");
        List<JsonObject> chunks = events.subList(0, events.size() - 1).stream().map(JsonObject::new).toList();
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.getString("object")).isEqualTo("chat.completion.chunk");
            assertThat(chunk.getString("model")).isEqualTo("demo");
        });
        assertThat(chunks.get(0).getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("role"))
                .isEqualTo("assistant");
        String text = chunks.stream().flatMap(c -> c.getJsonArray("choices").stream())
                .map(choice -> ((JsonObject) choice).getJsonObject("delta").getString("content", ""))
                .reduce("", String::concat);
        assertThat(text).startsWith("[MOCK ANSWER").contains("Integrate x squared");
        assertThat(chunks.get(chunks.size() - 2).getJsonArray("choices").getJsonObject(0).getString("finish_reason"))
                .isEqualTo("stop");
        assertThat(chunks.get(chunks.size() - 1).getJsonObject("usage").getInteger("total_tokens")).isPositive();
    }

    @Test
    void should_emit_only_what_was_fetched_when_the_reader_applies_back_pressure() throws Exception {
        ExpertBackend backend = new MockBackend(vertx, "math", null, Duration.ZERO);
        ChatRequest request = request(true, false);
        Context context = vertx.getOrCreateContext();
        List<Buffer> received = new ArrayList<>();
        Promise<Void> twoArrived = Promise.promise();

        context.runOnContext(v -> backend.send(request, CallContext.of("r")).onSuccess(reply -> {
            reply.body().handler(chunk -> {
                received.add(chunk);
                if (received.size() == 2) {
                    twoArrived.complete();
                }
            });
            reply.body().fetch(2);
        }));
        Await.result(twoArrived.future());
        // The stream emits on this same context, so anything beyond the demand would have run before this probe.
        int afterProbe = Await.result(Future.<Integer>future(p -> context.runOnContext(v -> p.complete(received.size()))));

        assertThat(afterProbe).isEqualTo(2);
    }
}
