package dev.etr.experts;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.etr.config.BackendConfig;
import dev.etr.config.ResilienceConfig;
import dev.etr.experts.BackendFailure.Kind;
import dev.etr.experts.ExpertDispatcher.Dispatched;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

class ExpertDispatcherTest {

    private static WireMockServer upstream;
    private static Vertx vertx;
    private static HttpClient http;
    private static int closedPort;

    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final ExpertDispatcher dispatcher = new ExpertDispatcher(FailureClassifier.standard(),
            (expert, failure) -> failures.add(expert.name() + ":" + failure.kind() + ":" + failure.status()));

    @BeforeAll
    static void start() throws IOException {
        upstream = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        vertx = Vertx.vertx();
        http = vertx.createHttpClient();
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
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

    /** Three attempts, 1 ms apart: retries are visible without slowing the tests. */
    static final ResilienceConfig FAST_RETRIES = new ResilienceConfig(null, null,
            new ResilienceConfig.Retry(3, Duration.ofMillis(1), 1.0, Duration.ofMillis(1), 0.0, null), null, null, null);

    private static Expert expert(String name, String baseUrl, String systemPrompt) {
        return new Expert(name, name, systemPrompt, ExpertBackend.create(vertx, http, name,
                new BackendConfig(BackendConfig.Type.openai, baseUrl, name + "-model", null, Duration.ofSeconds(5), Map.of(),
                        FAST_RETRIES)));
    }

    private static Expert stubbed(String name, int status) {
        upstream.stubFor(post("/" + name + "/chat/completions")
                .willReturn(aResponse().withStatus(status).withBody("{\"from\":\"" + name + "\"}")));
        return expert(name, upstream.baseUrl() + "/" + name, null);
    }

    private static ChatRequest hello() throws InvalidRequestException {
        return ChatRequest.parse(Buffer.buffer("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    }

    private Future<Dispatched> dispatch(List<Expert> candidates, CallContext call) throws InvalidRequestException {
        ChatRequest request = hello();
        return Await.onContext(vertx, () -> dispatcher.dispatch(candidates, request, call));
    }

    private static String body(Dispatched dispatched) {
        return Await.result(Await.body(dispatched.reply().body())).toString();
    }

    @Test
    void should_try_the_next_candidate_when_the_first_is_unreachable() throws Exception {
        Expert down = expert("down", "http://127.0.0.1:" + closedPort + "/v1", null);
        Expert up = stubbed("up", 200);

        Dispatched dispatched = Await.result(dispatch(List.of(down, up), CallContext.of("r")));

        assertThat(dispatched.servedBy()).isEqualTo(up);
        assertThat(body(dispatched)).isEqualTo("{\"from\":\"up\"}");
        assertThat(failures).containsExactly("down:UNREACHABLE:502", "down:UNREACHABLE:502", "down:UNREACHABLE:502");
        assertThat(dispatched.fallbackReason()).hasValue("retries_exhausted");
    }

    @Test
    void should_try_the_next_candidate_when_the_first_answers_a_retriable_status() throws Exception {
        Expert busy = stubbed("busy", 503);
        Expert up = stubbed("up", 200);

        Dispatched dispatched = Await.result(dispatch(List.of(busy, up), CallContext.of("r")));

        assertThat(dispatched.servedBy().name()).isEqualTo("up");
        assertThat(failures).containsExactly("busy:UPSTREAM_STATUS:503", "busy:UPSTREAM_STATUS:503",
                "busy:UPSTREAM_STATUS:503");
        upstream.verify(3, postRequestedFor(urlEqualTo("/busy/chat/completions")));
    }

    @Test
    void should_return_the_upstream_answer_as_is_when_its_error_is_not_retriable() throws Exception {
        Expert refuses = stubbed("refuses", 400);
        Expert up = stubbed("up", 200);

        Dispatched dispatched = Await.result(dispatch(List.of(refuses, up), CallContext.of("r")));

        assertThat(dispatched.servedBy().name()).isEqualTo("refuses");
        assertThat(dispatched.reply().status()).isEqualTo(400);
        assertThat(body(dispatched)).isEqualTo("{\"from\":\"refuses\"}");
        upstream.verify(0, postRequestedFor(urlEqualTo("/up/chat/completions")));
    }

    @Test
    void should_fail_classified_when_the_last_candidate_cannot_answer() throws Exception {
        Expert down = expert("down", "http://127.0.0.1:" + closedPort + "/v1", null);

        Throwable failure = Await.failure(dispatch(List.of(down), CallContext.of("r")));

        assertThat(failure).isInstanceOf(BackendException.class);
        BackendException error = (BackendException) failure;
        assertThat(error.expert()).isEqualTo("down");
        assertThat(error.failure().kind()).isEqualTo(Kind.UNREACHABLE);
        assertThat(error.failure().status()).isEqualTo(502);
    }

    @Test
    void should_give_each_candidate_its_own_system_prompt_when_falling_back() throws Exception {
        upstream.stubFor(post("/first/chat/completions").willReturn(aResponse().withStatus(502)));
        upstream.stubFor(post("/second/chat/completions").willReturn(aResponse().withStatus(200).withBody("{}")));
        Expert first = expert("first", upstream.baseUrl() + "/first", "You are first.");
        Expert second = expert("second", upstream.baseUrl() + "/second", "You are second.");

        body(Await.result(dispatch(List.of(first, second), CallContext.of("r"))));

        upstream.verify(postRequestedFor(urlEqualTo("/second/chat/completions")).withRequestBody(equalToJson(
                "{\"model\":\"second-model\",\"messages\":[{\"role\":\"system\",\"content\":\"You are second.\"},"
                        + "{\"role\":\"user\",\"content\":\"hi\"}]}")));
    }

    @Test
    void should_try_no_other_candidate_when_the_client_has_gone_away() throws Exception {
        Expert down = expert("down", "http://127.0.0.1:" + closedPort + "/v1", null);
        Expert up = stubbed("up", 200);
        Promise<Void> abandoned = Promise.promise();
        abandoned.complete();

        Throwable failure = Await.failure(dispatch(List.of(down, up), new CallContext("r", abandoned.future())));

        assertThat(failure).isNotInstanceOf(BackendException.class);
        assertThat(failures).isEmpty();
        upstream.verify(0, postRequestedFor(urlEqualTo("/up/chat/completions")));
    }
}
