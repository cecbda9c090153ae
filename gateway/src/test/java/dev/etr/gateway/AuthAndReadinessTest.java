package dev.etr.gateway;

import dev.etr.router.Router;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway with client API keys whose router is still loading: one fixture, because both are about what is
 * answered before a request reaches an expert. Tests run in declaration order; the last one releases the router.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthAndReadinessTest {

    private static final String KEY = "etr-test-key";
    private static final String CHAT = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"math\"}]}";

    private static final CountDownLatch release = new CountDownLatch(1);
    private static GatewayFixture etr;

    @BeforeAll
    static void start() {
        etr = GatewayFixture.builder()
                .apiKeys("other-key", KEY)
                .routerLoader(() -> {
                    release.await(10, TimeUnit.SECONDS);  // training takes a while…
                    return (Router) new FakeRouter(List.of("math"));
                })
                .start();
        etr.upstream.stubFor(post("/math/v1/chat/completions").willReturn(aResponse().withBody("{\"ok\":true}")));
    }

    @AfterAll
    static void stop() {
        release.countDown();
        etr.close();
    }

    @Test
    @Order(1)
    void should_answer_401_when_the_api_key_is_missing_or_wrong() {
        HttpResponse<String> missing = etr.post("/v1/chat/completions", CHAT.formatted("math"));
        HttpResponse<String> wrong = etr.post("/v1/chat/completions", CHAT.formatted("math"), "Authorization", "Bearer nope");
        HttpResponse<String> models = etr.get("/v1/models");

        for (HttpResponse<String> response : List.of(missing, wrong, models)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("www-authenticate")).hasValue("Bearer");
            JsonObject error = new JsonObject(response.body()).getJsonObject("error");
            assertThat(error.getString("code")).isEqualTo("invalid_api_key");
            assertThat(error.getString("type")).isEqualTo("invalid_request_error");
        }
    }

    @Test
    @Order(2)
    void should_serve_a_named_expert_but_not_auto_when_the_router_is_loading() {
        HttpResponse<String> direct = etr.post("/v1/chat/completions", CHAT.formatted("math"), "Authorization", "Bearer " + KEY);
        HttpResponse<String> routed = etr.post("/v1/chat/completions", CHAT.formatted("auto"), "Authorization", "Bearer " + KEY);
        HttpResponse<String> route = etr.post("/v1/route", "{\"text\":\"math\"}", "Authorization", "Bearer " + KEY);

        assertThat(direct.statusCode()).isEqualTo(200);
        assertThat(direct.body()).isEqualTo("{\"ok\":true}");
        assertThat(routed.statusCode()).isEqualTo(503);
        assertThat(new JsonObject(routed.body()).getJsonObject("error").getString("code")).isEqualTo("router_not_ready");
        assertThat(route.statusCode()).isEqualTo(503);
    }

    @Test
    @Order(3)
    void should_be_live_but_not_ready_when_the_router_is_loading() {
        HttpResponse<String> live = etr.get("/health/live");
        HttpResponse<String> ready = etr.get("/health/ready");

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(new JsonObject(ready.body()).getString("status")).isEqualTo("LOADING");
    }

    @Test
    @Order(4)
    void should_turn_ready_and_route_when_the_router_has_loaded() {
        release.countDown();
        GatewayFixture.await(etr.gateway.routerReady());

        HttpResponse<String> ready = etr.get("/health/ready");
        HttpResponse<String> routed = etr.post("/v1/chat/completions", CHAT.formatted("auto"), "Authorization", "Bearer " + KEY);

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(ready.body()).getString("status")).isEqualTo("READY");
        assertThat(routed.statusCode()).isEqualTo(200);
        assertThat(routed.headers().firstValue("x-etr-expert")).hasValue("math");
    }
}
