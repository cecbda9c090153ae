package dev.etr.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code /v1/route}, {@code /v1/models} and {@code /metrics}. */
class ApiEndpointsTest {

    private static GatewayFixture etr;

    @BeforeAll
    static void start() {
        etr = GatewayFixture.start();
        etr.upstream.stubFor(post("/math/v1/chat/completions").willReturn(aResponse().withBody("{}")));
        etr.upstream.stubFor(post("/general/v1/chat/completions").willReturn(aResponse().withBody("{}")));
    }

    @AfterAll
    static void stop() {
        etr.close();
    }

    @Test
    void should_answer_the_decision_only_when_routing_messages() {
        etr.upstream.resetRequests();

        HttpResponse<String> response = etr.post("/v1/route", "{\"messages\":[{\"role\":\"system\",\"content\":\"s\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"debug my code\"}]}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject decision = new JsonObject(response.body());
        assertThat(decision.fieldNames()).containsExactly("expert", "confidence", "probabilities", "route_ms");
        assertThat(decision.getString("expert")).isEqualTo("code");
        assertThat(decision.getDouble("confidence")).isEqualTo(FakeRouter.CONFIDENCE);
        assertThat(decision.getDouble("route_ms")).isEqualTo(1.5);
        JsonArray probabilities = decision.getJsonArray("probabilities");
        assertThat(probabilities.getJsonObject(0)).isEqualTo(new JsonObject().put("expert", "code").put("p", FakeRouter.CONFIDENCE));
        assertThat(probabilities).hasSize(5);
        assertThat(etr.router.conversations.get(etr.router.conversations.size() - 1))
                .extracting(turn -> turn.role() + ":" + turn.content()).containsExactly("system:s", "user:debug my code");
        etr.upstream.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    void should_route_a_bare_text_when_given_text() {
        HttpResponse<String> response = etr.post("/v1/route", "{\"text\":\"a math puzzle\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getString("expert")).isEqualTo("math");
    }

    @Test
    void should_answer_400_when_the_route_request_has_neither_text_nor_messages() {
        HttpResponse<String> noMessages = etr.post("/v1/route", "{}");
        HttpResponse<String> blankText = etr.post("/v1/route", "{\"text\":\"  \"}");
        HttpResponse<String> malformed = etr.post("/v1/route", "{\"text\":");

        assertThat(noMessages.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(noMessages.body()).getJsonObject("error").getString("param")).isEqualTo("messages");
        assertThat(blankText.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(blankText.body()).getJsonObject("error").getString("param")).isEqualTo("text");
        assertThat(malformed.statusCode()).isEqualTo(400);
    }

    @Test
    void should_list_auto_every_expert_and_the_generalist_when_asked_for_models() {
        HttpResponse<String> response = etr.get("/v1/models");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject list = new JsonObject(response.body());
        assertThat(list.getString("object")).isEqualTo("list");
        assertThat(list.getJsonArray("data").stream().map(m -> ((JsonObject) m).getString("id")))
                .containsExactly("auto", "math", "code", "slow", "down", "generalist");
        assertThat(list.getJsonArray("data").getJsonObject(1).fieldNames())
                .containsExactlyInAnyOrder("id", "object", "created", "owned_by");
        assertThat(list.getJsonArray("data").getJsonObject(1).getString("object")).isEqualTo("model");
    }

    @Test
    void should_expose_requests_routing_backend_errors_and_streams_when_scraped() {
        etr.post("/v1/chat/completions", "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"math\"}]}");
        etr.post("/v1/chat/completions", "{\"model\":\"down\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

        HttpResponse<String> response = etr.get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(response.body())
                .contains("etr_requests_seconds_count{endpoint=\"/v1/chat/completions\",expert=\"math\",status=\"200\"}")
                .contains("etr_requests_seconds_count{endpoint=\"/v1/chat/completions\",expert=\"down\",status=\"200\"}")
                .contains("etr_fallbacks_total{expert=\"down\",reason=\"retries_exhausted\",served_by=\"generalist\"}")
                .contains("resilience4j_circuitbreaker_state{name=\"down\",state=\"closed\"} 1.0")
                .contains("etr_route_duration_seconds_bucket{le=")
                .contains("etr_backend_errors_total{expert=\"down\",kind=\"unreachable\",status=\"502\"}")
                .contains("etr_streams_inflight ")
                .contains("vertx_http_server_requests_total");
    }
}
