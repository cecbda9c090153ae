package dev.etr.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

class ChatCompletionsTest {

    /** An upstream answer with fields etr knows nothing about: it must come back byte for byte. */
    private static final String COMPLETION = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
            + "\"model\":\"upstream-model-v2\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
            + "\"content\":\"4\",\"refusal\":null},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6},\"x_vendor\":{\"a\":[1.50]}}";

    private static GatewayFixture etr;

    @BeforeAll
    static void start() {
        etr = GatewayFixture.start();
    }

    @AfterAll
    static void stop() {
        etr.close();
    }

    @BeforeEach
    void reset() {
        etr.upstream.resetAll();
        etr.router.threads.clear();
        for (String prefix : new String[] {"math", "code", "general"}) {
            etr.upstream.stubFor(post("/" + prefix + "/v1/chat/completions").willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withHeader("x-upstream", prefix)
                    .withBody(COMPLETION)));
        }
    }

    private static String chat(String model, String text) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    }

    @Test
    void should_answer_through_the_routed_expert_when_model_is_auto() {
        HttpResponse<String> response = etr.post("/v1/chat/completions", chat("auto", "a math question: 2+2?"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(COMPLETION);
        assertThat(response.headers().firstValue("x-etr-expert")).hasValue("math");
        assertThat(response.headers().firstValue("x-etr-confidence")).hasValue(String.valueOf(FakeRouter.CONFIDENCE));
        assertThat(response.headers().firstValue("x-etr-served-by")).hasValue("math");
        assertThat(response.headers().firstValue("x-upstream")).hasValue("math");
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.headers().firstValue("x-request-id")).hasValueSatisfying(id ->
                assertThat(id).matches("[0-9a-f-]{36}"));
        etr.upstream.verify(postRequestedFor(urlEqualTo("/math/v1/chat/completions")).withRequestBody(equalToJson(
                "{\"model\":\"math-model\",\"messages\":[{\"role\":\"system\",\"content\":\"" + GatewayFixture.MATH_PROMPT
                        + "\"},{\"role\":\"user\",\"content\":\"a math question: 2+2?\"}]}")));
    }

    @Test
    void should_run_the_router_on_its_worker_pool_when_model_is_auto() {
        etr.post("/v1/chat/completions", chat("auto", "some code please"));

        assertThat(etr.router.threads).singleElement().satisfies(thread -> assertThat(thread).startsWith(Routing.POOL));
        assertThat(etr.router.conversations.get(etr.router.conversations.size() - 1))
                .extracting(turn -> turn.role() + ":" + turn.content()).containsExactly("user:some code please");
    }

    @Test
    void should_go_straight_to_the_expert_when_model_names_it() {
        HttpResponse<String> response = etr.post("/v1/chat/completions", chat("code", "a math question"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-etr-expert")).hasValue("code");
        assertThat(response.headers().firstValue("x-etr-confidence")).hasValue("1.0");
        assertThat(response.headers().firstValue("x-etr-served-by")).hasValue("code");
        assertThat(etr.router.threads).isEmpty();
        etr.upstream.verify(postRequestedFor(urlEqualTo("/code/v1/chat/completions"))
                .withRequestBody(equalToJson(chat("code-model", "a math question"))));
    }

    @Test
    void should_answer_through_the_generalist_when_model_is_generalist() {
        HttpResponse<String> response = etr.post("/v1/chat/completions", chat("generalist", "hello"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-etr-served-by")).hasValue("generalist");
        etr.upstream.verify(postRequestedFor(urlEqualTo("/general/v1/chat/completions"))
                .withRequestBody(equalToJson(chat("general-model", "hello"))));
    }

    @Test
    void should_answer_through_the_generalist_when_the_router_picks_it() {
        HttpResponse<String> response = etr.post("/v1/chat/completions", chat("auto", "tell me a story"));

        assertThat(response.headers().firstValue("x-etr-expert")).hasValue("generalist");
        etr.upstream.verify(1, postRequestedFor(urlEqualTo("/general/v1/chat/completions")));
    }

    @Test
    void should_pass_every_other_field_untouched_when_forwarding() {
        String request = """
                {"model":"code","temperature":0.70,"top_p":1.0,"seed":12345678901234567890,"user":"u-1",
                 "messages":[{"role":"developer","content":"terse"},
                             {"role":"user","content":[{"type":"text","text":"sort this"}],"name":"ann"}],
                 "tools":[{"type":"function","function":{"name":"sort","parameters":{"type":"object","properties":{}}}}],
                 "tool_choice":"auto","response_format":{"type":"json_schema","json_schema":{"name":"s","strict":true}},
                 "stream_options":null,"logit_bias":{"50256":-100},"x_future_field":[1,{"deep":[2.50,null,true]}]}""";

        HttpResponse<String> response = etr.post("/v1/chat/completions", request);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(COMPLETION);
        String forwarded = etr.upstream.getAllServeEvents().get(0).getRequest().getBodyAsString();
        assertThat(forwarded).isEqualTo(request.replace("\"model\":\"code\"", "\"model\":\"code-model\"")
                .replaceAll("\\n\\s*", ""));
    }

    @Test
    void should_echo_and_forward_the_request_id_when_the_client_sends_one() {
        HttpResponse<String> response = etr.post("/v1/chat/completions", chat("code", "x"), "x-request-id", "trace-42");

        assertThat(response.headers().firstValue("x-request-id")).hasValue("trace-42");
        etr.upstream.verify(postRequestedFor(urlEqualTo("/code/v1/chat/completions"))
                .withHeader("x-request-id", equalTo("trace-42")));
    }

    @Test
    void should_pass_the_upstream_error_through_when_the_backend_rejects_the_request() {
        String upstreamError = "{\"error\":{\"message\":\"context too long\",\"type\":\"invalid_request_error\","
                + "\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}";
        etr.upstream.stubFor(post("/code/v1/chat/completions").willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody(upstreamError)));

        HttpResponse<String> response = etr.post("/v1/chat/completions", chat("code", "x"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo(upstreamError);
        assertThat(response.headers().firstValue("x-etr-served-by")).hasValue("code");
    }
}
