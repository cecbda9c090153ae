package dev.etr.experts;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatRequestTest {

    private static ChatRequest parse(String json) throws InvalidRequestException {
        return ChatRequest.parse(Buffer.buffer(json));
    }

    @Test
    void should_read_model_stream_and_messages_when_body_is_valid() throws Exception {
        ChatRequest request = parse("""
                {"model":"auto","stream":true,"messages":[
                  {"role":"system","content":"be brief"},
                  {"role":"user","content":[{"type":"text","text":"what is"},{"type":"image_url","image_url":{"url":"x"}},
                                            {"type":"text","text":"this?"}]},
                  {"role":"assistant","content":null,"tool_calls":[]}]}""");

        assertThat(request.model()).isEqualTo("auto");
        assertThat(request.stream()).isTrue();
        assertThat(request.messages()).containsExactly(
                new ChatRequest.Message("system", "be brief"),
                new ChatRequest.Message("user", "what is\nthis?"),
                new ChatRequest.Message("assistant", ""));
    }

    @Test
    void should_keep_every_other_field_exactly_when_model_is_replaced() throws Exception {
        String original = """
                {"model":"auto","temperature":0.70,"top_p":1.0,"seed":12345678901234567890,
                 "messages":[{"role":"user","content":"hi","name":"ann"}],
                 "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],
                 "response_format":{"type":"json_object"},"x_vendor_field":{"nested":[1,2.50,"three",null]}}""";

        String sent = parse(original).withModel("llama3.1").toBuffer().toString();

        ObjectMapper json = new ObjectMapper();
        var expected = json.readTree(original);
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected).put("model", "llama3.1");
        assertThat(json.readTree(sent)).isEqualTo(expected);
        assertThat(sent).contains("\"temperature\":0.70", "\"top_p\":1.0", "12345678901234567890", "2.50")
                .startsWith("{\"model\":\"llama3.1\",\"temperature\"");
    }

    @Test
    void should_put_the_system_prompt_first_when_one_is_given() throws Exception {
        ChatRequest request = parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .withSystemPrompt("You are a mathematician.");

        assertThat(request.toBuffer().toString()).isEqualTo("{\"model\":\"m\",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"You are a mathematician.\"},{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(request.messages()).first().isEqualTo(new ChatRequest.Message("system", "You are a mathematician."));
    }

    @Test
    void should_reject_the_body_when_json_is_malformed() {
        assertThatThrownBy(() -> parse("{\"model\":\"auto\",\"messages\":[}"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("We could not parse the JSON body of your request")
                .extracting(e -> ((InvalidRequestException) e).param()).isNull();
        assertThatThrownBy(() -> parse("{} trailing")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> parse("")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> parse("[1]")).hasMessage("The request body must be a JSON object.");
    }

    @Test
    void should_name_messages_when_they_are_missing_or_empty() {
        assertThatThrownBy(() -> parse("{\"model\":\"auto\"}"))
                .hasMessage("Missing required parameter: 'messages'.")
                .extracting(e -> ((InvalidRequestException) e).param()).isEqualTo("messages");
        assertThatThrownBy(() -> parse("{\"model\":\"auto\",\"messages\":[]}"))
                .hasMessage("Invalid 'messages': empty array. Expected an array with minimum length 1.")
                .extracting(e -> ((InvalidRequestException) e).param()).isEqualTo("messages");
        assertThatThrownBy(() -> parse("{\"model\":\"auto\",\"messages\":\"hi\"}"))
                .extracting(e -> ((InvalidRequestException) e).param()).isEqualTo("messages");
    }

    @Test
    void should_name_the_role_when_it_is_unknown() {
        assertThatThrownBy(() -> parse("{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"robot\",\"content\":\"b\"}]}"))
                .hasMessage("Invalid value for 'messages[1].role': 'robot'. Supported values are: "
                        + "assistant, developer, function, system, tool, user.")
                .extracting(e -> ((InvalidRequestException) e).param()).isEqualTo("messages[1].role");
    }

    @Test
    void should_name_the_content_when_it_is_neither_text_nor_parts() {
        assertThatThrownBy(() -> parse("{\"messages\":[{\"role\":\"user\",\"content\":42}]}"))
                .extracting(e -> ((InvalidRequestException) e).param()).isEqualTo("messages[0].content");
    }
}
