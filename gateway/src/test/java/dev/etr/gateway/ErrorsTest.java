package dev.etr.gateway;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

/** Every error answer: its status, and OpenAI's shape {@code {"error":{"message","type","param","code"}}}. */
class ErrorsTest {

    private static final long LIMIT = 2048;

    private static GatewayFixture etr;

    @BeforeAll
    static void start() {
        // the generalist is down too, so requests for a failing expert find nobody to fall back on
        etr = GatewayFixture.builder().maxBodyBytes(LIMIT)
                .generalist("http://127.0.0.1:" + GatewayFixture.closedPort() + "/v1", Duration.ofSeconds(5)).start();
        etr.upstream.stubFor(post("/slow/v1/chat/completions").willReturn(aResponse().withFixedDelay(1_000).withBody("{}")));
    }

    @AfterAll
    static void stop() {
        etr.close();
    }

    /** Asserts the status and shape; returns the {@code error} object. */
    private static JsonObject error(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.headers().firstValue("x-request-id")).isPresent();
        JsonObject body = new JsonObject(response.body());
        assertThat(body.fieldNames()).containsExactly("error");
        JsonObject error = body.getJsonObject("error");
        assertThat(error.fieldNames()).containsExactlyInAnyOrder("message", "type", "param", "code");
        return error;
    }

    private static HttpResponse<String> chat(String body) {
        return etr.post("/v1/chat/completions", body);
    }

    @Test
    void should_answer_400_when_the_json_is_malformed() {
        JsonObject error = error(chat("{\"model\":\"auto\",\"messages\":[{\"role\":"), 400);

        assertThat(error.getString("type")).isEqualTo("invalid_request_error");
        assertThat(error.getString("message")).startsWith("We could not parse the JSON body of your request");
        assertThat(error.getValue("param")).isNull();
    }

    @Test
    void should_answer_400_naming_messages_when_they_are_missing() {
        JsonObject error = error(chat("{\"model\":\"auto\"}"), 400);

        assertThat(error.getString("type")).isEqualTo("invalid_request_error");
        assertThat(error.getString("message")).isEqualTo("Missing required parameter: 'messages'.");
        assertThat(error.getString("param")).isEqualTo("messages");
    }

    @Test
    void should_answer_400_naming_messages_when_they_are_empty() {
        JsonObject error = error(chat("{\"model\":\"auto\",\"messages\":[]}"), 400);

        assertThat(error.getString("message"))
                .isEqualTo("Invalid 'messages': empty array. Expected an array with minimum length 1.");
        assertThat(error.getString("param")).isEqualTo("messages");
    }

    @Test
    void should_answer_400_naming_the_role_when_it_is_unknown() {
        JsonObject error = error(chat("{\"model\":\"auto\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}"), 400);

        assertThat(error.getString("message")).startsWith("Invalid value for 'messages[0].role': 'wizard'.");
        assertThat(error.getString("param")).isEqualTo("messages[0].role");
    }

    @Test
    void should_answer_400_naming_model_when_it_is_missing() {
        JsonObject error = error(chat("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400);

        assertThat(error.getString("param")).isEqualTo("model");
        assertThat(error.getString("message")).startsWith("Missing required parameter: 'model'.");
    }

    @Test
    void should_answer_404_model_not_found_when_the_model_is_unknown() {
        JsonObject error = error(chat("{\"model\":\"gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 404);

        assertThat(error.getString("type")).isEqualTo("invalid_request_error");
        assertThat(error.getString("code")).isEqualTo("model_not_found");
        assertThat(error.getString("param")).isEqualTo("model");
        assertThat(error.getString("message")).startsWith("The model 'gpt-9' does not exist.");
    }

    @Test
    void should_answer_413_when_the_body_is_over_the_limit() {
        String big = "x".repeat((int) LIMIT);
        JsonObject error = error(chat("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}]}"), 413);

        assertThat(error.getString("code")).isEqualTo("request_too_large");
        assertThat(error.getString("message")).contains(String.valueOf(LIMIT));
    }

    @Test
    void should_answer_502_when_the_backend_is_unreachable() {
        HttpResponse<String> response = chat("{\"model\":\"down\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        JsonObject error = error(response, 502);

        assertThat(error.getString("type")).isEqualTo("server_error");
        assertThat(error.getString("code")).isEqualTo("backend_unreachable");
        assertThat(error.getString("message")).isEqualTo("no expert backend could answer (down: the expert backend is "
                + "unreachable; generalist: the expert backend is unreachable).");
        assertThat(response.headers().firstValue("x-etr-expert")).hasValue("down");
        assertThat(response.headers().firstValue("x-etr-served-by")).isEmpty();
        assertThat(response.headers().firstValue("x-etr-fallback")).hasValue("retries_exhausted");
    }

    @Test
    void should_answer_504_when_the_only_backend_times_out() {
        // the generalist asked directly has no fallback; this one is served by the slow stub
        try (GatewayFixture alone = GatewayFixture.builder()
                .generalist(etr.upstream.baseUrl() + "/slow/v1", GatewayFixture.SLOW_TIMEOUT).start()) {
            HttpResponse<String> response = alone.post("/v1/chat/completions",
                    "{\"model\":\"generalist\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            JsonObject error = error(response, 504);

            assertThat(error.getString("type")).isEqualTo("server_error");
            assertThat(error.getString("code")).isEqualTo("backend_timeout");
            assertThat(error.getString("message")).isEqualTo("the expert backend did not answer in time.");
            assertThat(response.headers().firstValue("x-etr-fallback")).isEmpty();
        }
    }

    @Test
    void should_answer_404_in_the_same_shape_when_the_path_is_unknown() {
        JsonObject error = error(etr.get("/v2/nothing"), 404);

        assertThat(error.getString("code")).isEqualTo("unknown_url");
    }

    @Test
    void should_answer_405_in_the_same_shape_when_the_method_is_wrong() {
        JsonObject error = error(etr.get("/v1/chat/completions"), 405);

        assertThat(error.getString("code")).isEqualTo("method_not_allowed");
    }
}
