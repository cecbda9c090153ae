package dev.etr.router.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.etr.config.MetaModelConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class OpenAiEmbeddingsMetaModelTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private WireMockServer server;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        // Any single input (LangChain4j probes the dimension with one text): (3, 4).
        server.stubFor(post(urlEqualTo("/v1/embeddings")).atPriority(10)
                .willReturn(json(embeddings(new float[] {3f, 4f}))));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** OpenAI's response shape, one data item per vector, in index order. */
    private static String embeddings(float[]... vectors) {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < vectors.length; i++) {
            if (i > 0) {
                data.append(',');
            }
            StringBuilder v = new StringBuilder();
            for (int c = 0; c < vectors[i].length; c++) {
                v.append(c > 0 ? "," : "").append(vectors[i][c]);
            }
            data.append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":[").append(v).append("]}");
        }
        return "{\"object\":\"list\",\"data\":[" + data + "],\"model\":\"m\",\"usage\":{\"prompt_tokens\":5,\"total_tokens\":5}}";
    }

    private MetaModel create(Integer maxTokens) {
        return MetaModels.create(new MetaModelConfig(MetaModelConfig.Type.openai_embeddings, null, null, null,
                server.baseUrl() + "/v1", "m", null, maxTokens));
    }

    private JsonNode lastRequestWithInput(String firstInput) throws Exception {
        List<LoggedRequest> requests = server.findAll(postRequestedFor(urlEqualTo("/v1/embeddings")));
        for (int i = requests.size() - 1; i >= 0; i--) {
            JsonNode body = JSON.readTree(requests.get(i).getBodyAsString());
            if (body.path("input").path(0).asText().equals(firstInput)) {
                return body;
            }
        }
        throw new AssertionError("no request with input " + firstInput + " among " + requests.size());
    }

    @Test
    void should_return_unit_vectors_in_input_order_when_server_answers() throws Exception {
        // given: the batch ["first", "second"] embeds as (3, 4) and (0, -2)
        server.stubFor(post(urlEqualTo("/v1/embeddings")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.input[0]", equalTo("first")))
                .willReturn(json(embeddings(new float[] {3f, 4f}, new float[] {0f, -2f}))));
        try (MetaModel model = create(null)) {

            // when
            List<float[]> vectors = model.embedAll(List.of("first", "second"));

            // then
            assertThat(vectors).hasSize(2);
            assertThat(vectors.get(0)).containsExactly(new float[] {0.6f, 0.8f}, within(1e-6f));
            assertThat(vectors.get(1)).containsExactly(new float[] {0f, -1f}, within(1e-6f));
            assertThat(model.dimension()).isEqualTo(2);
            assertThat(model.id()).isEqualTo("openai-embeddings:" + server.baseUrl() + "/v1|m|chars=2048");
            JsonNode body = lastRequestWithInput("first");
            assertThat(body.path("model").asText()).isEqualTo("m");
            assertThat(body.path("input")).hasSize(2);
            assertThat(body.path("input").path(1).asText()).isEqualTo("second");
        }
    }

    @Test
    void should_send_truncated_input_when_text_is_too_long() throws Exception {
        // given: maxTokens 4 -> max(16, 4·4) = 16 characters
        String longText = "abcdefghijklmnopqrstuvwxyz";
        try (MetaModel model = create(4)) {

            // when
            float[] vector = model.embed(longText);

            // then
            assertThat(vector).containsExactly(new float[] {0.6f, 0.8f}, within(1e-6f));
            JsonNode body = lastRequestWithInput("abcdefghi … wxyz");
            assertThat(body.path("input")).hasSize(1);
            assertThat(body.path("input").path(0).asText()).isEqualTo(new Truncation(16).apply(longText));
            assertThat(model.id()).endsWith("|chars=16");
        }
    }

    @Test
    void should_send_a_full_stop_when_text_is_blank() throws Exception {
        // given
        try (MetaModel model = create(null)) {

            // when
            model.embed("");

            // then: LangChain4j rejects blank segments; a lone full stop stands for "nothing said"
            JsonNode body = lastRequestWithInput(".");
            assertThat(body.path("input").path(0).asText()).isEqualTo(".");
        }
    }
}
