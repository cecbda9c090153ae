package dev.etr.gateway;

import dev.etr.config.BackendConfig;
import dev.etr.config.ExpertConfig;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

/** A real OpenAI client, LangChain4j's, pointed at etr: it must get the expert's answer exactly. */
class LangChain4jClientTest {

    private static final String ANSWER = "The answer is 4 — two plus two, «exactly».";
    private static final String COMPLETION = """
            {"id":"chatcmpl-9","object":"chat.completion","created":1700000000,"model":"math-model",
             "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":12,"completion_tokens":9,"total_tokens":21}}""".formatted(ANSWER);
    private static final String STREAM = chunk("{\"role\":\"assistant\",\"content\":\"\"}", null)
            + chunk("{\"content\":\"The answer is 4\"}", null)
            + chunk("{\"content\":\" — two plus two, \"}", null)
            + chunk("{\"content\":\"«exactly».\"}", null)
            + chunk("{}", "\"stop\"")
            + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"math-model\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":9,\"total_tokens\":21}}\n\n"
            + "data: [DONE]\n\n";

    private static GatewayFixture etr;

    private static String chunk(String delta, String finishReason) {
        return "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"math-model\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finishReason + "}]}\n\n";
    }

    @BeforeAll
    static void start() {
        etr = GatewayFixture.builder()
                .expert(new ExpertConfig("demo", "demo", BackendConfig.mock(), List.of(), null, null))
                .start();
        etr.upstream.stubFor(post("/math/v1/chat/completions").withRequestBody(
                        matchingJsonPath("$.stream", equalTo("true")))
                .willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody(STREAM)
                        .withChunkedDribbleDelay(4, 40)));
        etr.upstream.stubFor(post("/math/v1/chat/completions").atPriority(10)
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(COMPLETION)));
    }

    @AfterAll
    static void stop() {
        etr.close();
    }

    private static OpenAiChatModel chatModel(String model) {
        return OpenAiChatModel.builder().baseUrl(etr.url("/v1")).apiKey("unused").modelName(model)
                .timeout(Duration.ofSeconds(10)).build();
    }

    private static ChatResponse stream(String model, String question, StringBuilder partials) throws Exception {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        OpenAiStreamingChatModel.builder().baseUrl(etr.url("/v1")).apiKey("unused").modelName(model)
                .timeout(Duration.ofSeconds(10)).build()
                .chat(question, new StreamingChatResponseHandler() {
                    @Override
                    public void onPartialResponse(String partial) {
                        partials.append(partial);
                    }

                    @Override
                    public void onCompleteResponse(ChatResponse response) {
                        done.complete(response);
                    }

                    @Override
                    public void onError(Throwable error) {
                        done.completeExceptionally(error);
                    }
                });
        return done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void should_get_the_expert_answer_unchanged_when_a_langchain4j_client_chats() {
        ChatResponse response = chatModel("auto").chat(ChatRequest.builder()
                .messages(UserMessage.from("a math question: 2+2?")).build());

        assertThat(response.aiMessage().text()).isEqualTo(ANSWER);
        assertThat(response.metadata().modelName()).isEqualTo("math-model");
        assertThat(response.metadata().tokenUsage().totalTokenCount()).isEqualTo(21);
    }

    @Test
    void should_get_the_expert_answer_unchanged_when_a_langchain4j_client_streams() throws Exception {
        StringBuilder partials = new StringBuilder();

        ChatResponse response = stream("auto", "a math question: 2+2?", partials);

        assertThat(partials.toString()).isEqualTo(ANSWER);
        assertThat(response.aiMessage().text()).isEqualTo(ANSWER);
        assertThat(response.metadata().tokenUsage().totalTokenCount()).isEqualTo(21);
    }

    @Test
    void should_read_the_mock_backend_answers_when_a_langchain4j_client_uses_them() throws Exception {
        String answer = chatModel("demo").chat("hello there");
        StringBuilder partials = new StringBuilder();
        ChatResponse streamed = stream("demo", "hello there", partials);

        assertThat(answer).startsWith("[MOCK ANSWER").contains("hello there");
        assertThat(streamed.aiMessage().text()).isEqualTo(partials.toString()).isEqualTo(answer);
    }
}
