package dev.etr.experts;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.etr.config.BackendConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

class OpenAiBackendTest {

    private static final String COMPLETION = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"choices\":[]}";

    private static WireMockServer upstream;
    private static Vertx vertx;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        upstream = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        vertx = Vertx.vertx();
        http = vertx.createHttpClient();
    }

    @AfterAll
    static void stop() {
        Await.result(vertx.close());
        upstream.stop();
    }

    @BeforeEach
    void reset() {
        upstream.resetAll();
    }

    private static ExpertBackend backend(String apiKey, Duration timeout, Map<String, String> headers) {
        return ExpertBackend.create(vertx, http, "math", new BackendConfig(BackendConfig.Type.openai,
                upstream.baseUrl() + "/v1/", "qwen-math", apiKey, timeout, headers));
    }

    private static Future<BackendReply> send(ExpertBackend backend, ChatRequest request, CallContext call) {
        return Await.onContext(vertx, () -> backend.send(request, call));
    }

    private static ChatRequest request(String json) throws InvalidRequestException {
        return ChatRequest.parse(Buffer.buffer(json));
    }

    @Test
    void should_send_the_body_with_its_model_and_credentials_when_called() throws Exception {
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withHeader("x-upstream", "yes").withBody(COMPLETION)));
        ExpertBackend backend = backend("sk-secret", Duration.ofSeconds(5), Map.of("X-Tenant", "etr"));

        BackendReply reply = Await.result(send(backend,
                request("{\"model\":\"auto\",\"temperature\":0.2,\"messages\":[{\"role\":\"user\",\"content\":\"1+1\"}]}"),
                CallContext.of("req-1")));
        String body = Await.result(Await.body(reply.body())).toString();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers().get("x-upstream")).isEqualTo("yes");
        assertThat(body).isEqualTo(COMPLETION);
        upstream.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer sk-secret"))
                .withHeader("X-Tenant", equalTo("etr"))
                .withHeader("x-request-id", equalTo("req-1"))
                .withHeader("Accept", equalTo("application/json"))
                .withRequestBody(equalToJson(
                        "{\"model\":\"qwen-math\",\"temperature\":0.2,\"messages\":[{\"role\":\"user\",\"content\":\"1+1\"}]}")));
        assertThat(backend.describe()).doesNotContain("sk-secret")
                .isEqualTo("openai " + upstream.baseUrl() + "/v1/chat/completions model=qwen-math");
    }

    @Test
    void should_hand_back_the_status_and_body_when_upstream_answers_an_error() throws Exception {
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "3").withBody("{\"error\":{\"message\":\"slow down\"}}")));

        BackendReply reply = Await.result(send(backend(null, Duration.ofSeconds(5), Map.of()),
                request("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), CallContext.of("r")));

        assertThat(reply.status()).isEqualTo(429);
        assertThat(reply.headers().get("Retry-After")).isEqualTo("3");
        assertThat(Await.result(Await.body(reply.body())).toString()).isEqualTo("{\"error\":{\"message\":\"slow down\"}}");
        upstream.verify(postRequestedFor(urlEqualTo("/v1/chat/completions")).withoutHeader("Authorization"));
    }

    @Test
    void should_fail_with_a_timeout_when_upstream_is_slower_than_the_timeout() throws Exception {
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withFixedDelay(1_000).withBody("{}")));

        Throwable failure = Await.failure(send(backend(null, Duration.ofMillis(150), Map.of()),
                request("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), CallContext.of("r")));

        assertThat(FailureClassifier.standard().classify(failure).kind()).isEqualTo(BackendFailure.Kind.TIMEOUT);
    }

    @Test
    void should_close_the_upstream_connection_when_the_call_is_abandoned_before_the_answer() throws Exception {
        CompletableFuture<Void> received = new CompletableFuture<>();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        HttpServer thinking = Await.result(vertx.createHttpServer().requestHandler(request -> {
            request.connection().closeHandler(v -> closed.complete(null));
            received.complete(null);  // ...and never answers, like a model computing a long reply
        }).listen(0, "127.0.0.1"));
        ExpertBackend backend = ExpertBackend.create(vertx, http, "math", new BackendConfig(BackendConfig.Type.openai,
                "http://127.0.0.1:" + thinking.actualPort() + "/v1", "m", null, Duration.ofSeconds(30), Map.of()));
        Promise<Void> abandoned = Promise.promise();

        Future<BackendReply> reply = send(backend, request("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                new CallContext("r", abandoned.future()));
        received.get(5, TimeUnit.SECONDS);
        abandoned.complete();

        closed.get(5, TimeUnit.SECONDS);
        assertThat(Await.failure(reply)).isNotNull();
        Await.result(thinking.close());
    }
}
