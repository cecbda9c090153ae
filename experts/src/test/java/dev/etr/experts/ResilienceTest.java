package dev.etr.experts;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.etr.config.BackendConfig;
import dev.etr.config.ResilienceConfig;
import dev.etr.experts.BackendFailure.Kind;
import dev.etr.experts.ExpertDispatcher.Dispatched;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/** Circuit breaker and bulkhead of one backend, with time moved by hand instead of slept. */
class ResilienceTest {

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2025-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static WireMockServer upstream;
    private static Vertx vertx;
    private static HttpClient http;

    private final MovableClock clock = new MovableClock();
    private final ExpertDispatcher dispatcher = new ExpertDispatcher(FailureClassifier.standard(), (e, f) -> { },
            new Resilience(clock));

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

    private static Expert expert(String name, ResilienceConfig resilience) {
        return new Expert(name, name, null, ExpertBackend.create(vertx, http, name, new BackendConfig(
                BackendConfig.Type.openai, upstream.baseUrl() + "/" + name, "m", null, Duration.ofSeconds(5), Map.of(),
                resilience)));
    }

    private Future<Dispatched> dispatch(Expert expert) throws InvalidRequestException {
        ChatRequest request = ChatRequest.parse(Buffer.buffer(
                "{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        return Await.onContext(vertx, () -> dispatcher.dispatch(List.of(expert), request, CallContext.of("r")));
    }

    private static int calls(String name) {
        return upstream.countRequestsMatching(postRequestedFor(urlEqualTo("/" + name + "/chat/completions")).build())
                .getCount();
    }

    @Test
    void should_open_after_failures_skip_the_backend_then_probe_and_close_once_the_wait_is_over() throws Exception {
        ResilienceConfig settings = new ResilienceConfig(null, null,
                new ResilienceConfig.Retry(1, null, null, null, null, null),
                new ResilienceConfig.CircuitBreaker(null, 50.0, null, null, 4, 4, Duration.ofSeconds(30), 1),
                null, null);
        Expert flaky = expert("flaky", settings);
        upstream.stubFor(post("/flaky/chat/completions").willReturn(aResponse().withStatus(500)));

        for (int i = 0; i < 4; i++) {
            BackendException failed = (BackendException) Await.failure(dispatch(flaky));
            assertThat(failed.failure().kind()).isEqualTo(Kind.UPSTREAM_STATUS);
            assertThat(failed.failure().status()).isEqualTo(502);  // an upstream 500 is answered as a bad gateway
        }
        assertThat(dispatcher.resilience().circuitState("flaky")).hasValue(CircuitBreaker.State.OPEN);

        BackendException open = (BackendException) Await.failure(dispatch(flaky));
        assertThat(open.failure().kind()).isEqualTo(Kind.CIRCUIT_OPEN);
        assertThat(open.failure().status()).isEqualTo(503);
        assertThat(open.attempts()).isZero();
        assertThat(calls("flaky")).isEqualTo(4);

        clock.advance(Duration.ofSeconds(29));
        assertThat(((BackendException) Await.failure(dispatch(flaky))).failure().kind()).isEqualTo(Kind.CIRCUIT_OPEN);

        clock.advance(Duration.ofSeconds(2));
        upstream.stubFor(post("/flaky/chat/completions").willReturn(aResponse().withBody("{}")));
        Dispatched probe = Await.result(dispatch(flaky));
        Await.result(Await.body(probe.reply().body()));
        assertThat(calls("flaky")).isEqualTo(5);
        assertThat(dispatcher.resilience().circuitState("flaky")).hasValue(CircuitBreaker.State.CLOSED);
    }

    @Test
    void should_not_count_a_4xx_against_the_backend() throws Exception {
        ResilienceConfig settings = new ResilienceConfig(null, null, null,
                new ResilienceConfig.CircuitBreaker(null, 50.0, null, null, 2, 2, null, null), null, null);
        Expert strict = expert("strict", settings);
        upstream.stubFor(post("/strict/chat/completions").willReturn(aResponse().withStatus(400).withBody("{}")));

        for (int i = 0; i < 3; i++) {
            Dispatched dispatched = Await.result(dispatch(strict));
            assertThat(dispatched.reply().status()).isEqualTo(400);
            Await.result(Await.body(dispatched.reply().body()));
        }

        assertThat(calls("strict")).isEqualTo(3);
        assertThat(dispatcher.resilience().circuitState("strict")).hasValue(CircuitBreaker.State.CLOSED);
    }

    @Test
    void should_reject_at_once_when_the_bulkhead_is_full() throws Exception {
        ResilienceConfig settings = new ResilienceConfig(null, null, null, null, new ResilienceConfig.Bulkhead(1), null);
        Expert narrow = expert("narrow", settings);
        upstream.stubFor(post("/narrow/chat/completions").willReturn(aResponse().withFixedDelay(500).withBody("{}")));

        Future<Dispatched> first = dispatch(narrow);
        Thread.sleep(100);  // let the first call take the only permit
        long started = System.nanoTime();
        BackendException full = (BackendException) Await.failure(dispatch(narrow));

        assertThat(full.failure().kind()).isEqualTo(Kind.BULKHEAD_FULL);
        assertThat(full.failure().status()).isEqualTo(503);
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(300L);
        Await.result(Await.body(Await.result(first).reply().body()));
        assertThat(calls("narrow")).isEqualTo(1);
    }
}
