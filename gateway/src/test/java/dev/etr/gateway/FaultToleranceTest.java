package dev.etr.gateway;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.etr.config.BackendConfig;
import dev.etr.config.ExpertConfig;
import dev.etr.config.ResilienceConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault injection against real HTTP on loopback: WireMock (statuses, delays, resets, bad bodies) and a tiny Vert.x
 * upstream for streams that stall or break. Each case has its own expert, so circuit breakers do not interfere.
 */
class FaultToleranceTest {

    private static final String GENERALIST_ANSWER = "{\"id\":\"g\",\"object\":\"chat.completion\",\"from\":\"generalist\"}";
    private static final String GENERALIST_STREAM = "data: {\"from\":\"generalist\"}\n\ndata: [DONE]\n\n";
    private static final String EVENT_1 = "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n";
    private static final String EVENT_2 = "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\n";
    private static final Duration FIRST_BYTE = Duration.ofMillis(300);

    private static TestUpstream live;
    private static GatewayFixture etr;

    /** Fast retries; a circuit that does not open during these tests unless a test says so. */
    private static ResilienceConfig resilience(Duration firstByte, int minimumCalls) {
        return new ResilienceConfig(firstByte, null,
                new ResilienceConfig.Retry(3, Duration.ofMillis(1), 1.0, Duration.ofMillis(1), 0.0, Duration.ofSeconds(2)),
                new ResilienceConfig.CircuitBreaker(null, 50.0, null, null, minimumCalls, minimumCalls, null, 1),
                null, null);
    }

    private static ExpertConfig expert(String name, String baseUrl, ResilienceConfig resilience) {
        return new ExpertConfig(name, name + " questions", new BackendConfig(BackendConfig.Type.openai, baseUrl,
                name + "-model", null, Duration.ofSeconds(5), Map.of(), resilience), List.of(), null, null);
    }

    @BeforeAll
    static void start() {
        live = new TestUpstream();
        GatewayFixture.Builder builder = GatewayFixture.builder();
        for (String name : List.of("e500", "e429", "e429long", "ereset", "ehang", "emalformed", "ebreaker")) {
            builder.expertOnUpstream(name, resilience(
                    name.equals("ehang") || name.equals("ebreaker") ? FIRST_BYTE : null,
                    name.equals("ebreaker") ? 2 : 100));
        }
        builder.expert(expert("stall", live.baseUrl(), resilience(FIRST_BYTE, 100)));
        builder.expert(expert("broken", live.baseUrl(), resilience(null, 100)));
        etr = builder.start();
    }

    @AfterAll
    static void stop() {
        etr.close();
        live.close();
    }

    @BeforeEach
    void reset() {
        etr.upstream.resetAll();
        etr.upstream.stubFor(post("/general/v1/chat/completions")
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(GENERALIST_ANSWER)));
        etr.upstream.stubFor(post("/general/v1/chat/completions")
                .withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
                .willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody(GENERALIST_STREAM)));
    }

    private static String chat(String model) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    private static String streamedChat(String model) {
        return "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    private static int calls(String expert) {
        return etr.upstream.countRequestsMatching(postRequestedFor(urlEqualTo("/" + expert + "/v1/chat/completions"))
                .build()).getCount();
    }

    private static void assertServedByGeneralist(HttpResponse<String> response, String expert, String reason) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-etr-expert")).hasValue(expert);
        assertThat(response.headers().firstValue("x-etr-served-by")).hasValue("generalist");
        assertThat(response.headers().firstValue("x-etr-fallback")).hasValue(reason);
        assertThat(response.body()).isEqualTo(GENERALIST_ANSWER);
    }

    @Test
    void should_fall_back_at_once_without_retrying_when_the_expert_answers_500() {
        etr.upstream.stubFor(post("/e500/v1/chat/completions").willReturn(aResponse().withStatus(500)
                .withBody("{\"error\":{\"message\":\"boom\"}}")));

        HttpResponse<String> response = etr.post("/v1/chat/completions", chat("e500"));

        assertServedByGeneralist(response, "e500", "upstream_500");
        assertThat(calls("e500")).isEqualTo(1);
        assertThat(etr.metric("etr_fallbacks_total{expert=\"e500\",reason=\"upstream_500\",served_by=\"generalist\"}"))
                .isEqualTo(1.0);
    }

    @Test
    void should_wait_as_retry_after_says_then_retry_when_the_expert_answers_429() {
        etr.upstream.stubFor(post("/e429/v1/chat/completions").inScenario("limited").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1"))
                .willSetStateTo("free"));
        etr.upstream.stubFor(post("/e429/v1/chat/completions").inScenario("limited").whenScenarioStateIs("free")
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"from\":\"e429\"}")));

        long started = System.nanoTime();
        HttpResponse<String> response = etr.post("/v1/chat/completions", chat("e429"));
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-etr-served-by")).hasValue("e429");
        assertThat(response.headers().firstValue("x-etr-fallback")).isEmpty();
        assertThat(response.body()).isEqualTo("{\"from\":\"e429\"}");
        assertThat(calls("e429")).isEqualTo(2);
        assertThat(millis).isBetween(950L, 4_000L);
    }

    @Test
    void should_fall_back_instead_of_waiting_when_retry_after_is_over_the_limit() {
        etr.upstream.stubFor(post("/e429long/v1/chat/completions")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "60")));

        long started = System.nanoTime();
        HttpResponse<String> response = etr.post("/v1/chat/completions", chat("e429long"));

        assertServedByGeneralist(response, "e429long", "upstream_429");
        assertThat(calls("e429long")).isEqualTo(1);
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(2_000L);
    }

    @Test
    void should_retry_then_fall_back_when_the_connection_is_reset() {
        etr.upstream.stubFor(post("/ereset/v1/chat/completions")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        HttpResponse<String> response = etr.post("/v1/chat/completions", chat("ereset"));

        assertServedByGeneralist(response, "ereset", "retries_exhausted");
        assertThat(calls("ereset")).isEqualTo(3);
        assertThat(etr.metric("etr_backend_errors_total{expert=\"ereset\",kind=\"connection_lost\",status=\"502\"}"))
                .isEqualTo(3.0);
    }

    @Test
    void should_fall_back_after_the_first_byte_timeout_when_the_expert_is_slower() {
        etr.upstream.stubFor(post("/ehang/v1/chat/completions")
                .willReturn(aResponse().withFixedDelay(3_000).withBody("{}")));

        long started = System.nanoTime();
        HttpResponse<String> response = etr.post("/v1/chat/completions", chat("ehang"));
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertServedByGeneralist(response, "ehang", "timeout");
        assertThat(calls("ehang")).isEqualTo(1);  // a timeout is not retried
        assertThat(millis).isBetween(FIRST_BYTE.toMillis() - 10, FIRST_BYTE.toMillis() + 1_500);
    }

    @Test
    void should_fall_back_when_the_expert_answers_malformed_json() {
        etr.upstream.stubFor(post("/emalformed/v1/chat/completions").willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"choices\":[{\"message\":")));

        HttpResponse<String> response = etr.post("/v1/chat/completions", chat("emalformed"));

        assertServedByGeneralist(response, "emalformed", "malformed_response");
        assertThat(calls("emalformed")).isEqualTo(1);
    }

    @Test
    void should_cost_no_more_than_the_timeout_then_stop_calling_once_the_circuit_opens() {
        etr.upstream.stubFor(post("/ebreaker/v1/chat/completions")
                .willReturn(aResponse().withFixedDelay(5_000).withBody("{}")));

        for (int i = 0; i < 2; i++) {
            long started = System.nanoTime();
            HttpResponse<String> response = etr.post("/v1/chat/completions", chat("ebreaker"));
            assertServedByGeneralist(response, "ebreaker", "timeout");
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(FIRST_BYTE.toMillis() + 1_500);
        }
        assertThat(calls("ebreaker")).isEqualTo(2);

        long started = System.nanoTime();
        HttpResponse<String> response = etr.post("/v1/chat/completions", chat("ebreaker"));
        long openMillis = (System.nanoTime() - started) / 1_000_000;

        assertServedByGeneralist(response, "ebreaker", "circuit_open");
        assertThat(calls("ebreaker")).isEqualTo(2);  // not called any more
        assertThat(openMillis).isLessThan(FIRST_BYTE.toMillis());
        assertThat(etr.metric("resilience4j_circuitbreaker_state{name=\"ebreaker\",state=\"open\"}")).isEqualTo(1.0);
        assertThat(etr.get("/health/ready").statusCode()).isEqualTo(200);  // the generalist is fine
    }

    @Test
    void should_fall_back_for_a_stream_when_the_expert_sends_headers_but_no_event_in_time() {
        AtomicInteger calls = new AtomicInteger();
        live.handle(request -> {
            calls.incrementAndGet();
            request.response().setChunked(true).putHeader("Content-Type", "text/event-stream").writeHead();
        });

        HttpResponse<String> response = etr.post("/v1/chat/completions", streamedChat("stall"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-etr-expert")).hasValue("stall");
        assertThat(response.headers().firstValue("x-etr-served-by")).hasValue("generalist");
        assertThat(response.headers().firstValue("x-etr-fallback")).hasValue("timeout");
        assertThat(response.body()).isEqualTo(GENERALIST_STREAM);
        assertThat(calls).hasValue(1);
    }

    @Test
    void should_end_with_an_error_event_and_no_done_when_the_stream_breaks_after_some_chunks() {
        AtomicInteger calls = new AtomicInteger();
        live.handle(request -> {
            calls.incrementAndGet();
            request.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
                    .write(EVENT_1 + EVENT_2).onSuccess(v -> request.connection().close());
        });

        HttpResponse<String> response = etr.post("/v1/chat/completions", streamedChat("broken"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-etr-served-by")).hasValue("broken");
        assertThat(response.headers().firstValue("x-etr-fallback")).isEmpty();
        assertThat(response.body()).startsWith(EVENT_1 + EVENT_2).doesNotContain("[DONE]");
        String last = response.body().substring((EVENT_1 + EVENT_2).length());
        assertThat(last).startsWith("data: ").endsWith("\n\n");
        JsonObject error = new JsonObject(last.substring("data: ".length()).strip()).getJsonObject("error");
        assertThat(error.fieldNames()).containsExactlyInAnyOrder("message", "type", "param", "code");
        assertThat(error.getString("code")).isEqualTo("backend_connection_lost");
        assertThat(calls).hasValue(1);  // chunks reached the client: never retried
        assertThat(etr.metric("etr_broken_answers_total{expert=\"broken\",kind=\"connection_lost\",stream=\"true\"}"))
                .isEqualTo(1.0);
    }
}
