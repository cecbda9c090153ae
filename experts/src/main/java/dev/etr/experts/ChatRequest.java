package dev.etr.experts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * An OpenAI chat-completions request body, read tolerantly.
 *
 * <p>Only what etr needs is interpreted ({@code model}, {@code stream}, each message's role and text); the body is
 * kept as parsed, so every other field (tools, response_format, temperature, stream_options, fields OpenAI adds
 * tomorrow) goes upstream as the client wrote it. Numbers keep their exact decimal value. Immutable.
 */
public final class ChatRequest {

    /** The roles OpenAI accepts. */
    public static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    /**
     * One message as the router reads it.
     *
     * @param text the content if it is a string, else its text parts joined by newlines (images and audio dropped)
     */
    public record Message(String role, String text) {
    }

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private final ObjectNode body;
    private final List<Message> messages;

    private ChatRequest(ObjectNode body, List<Message> messages) {
        this.body = body;
        this.messages = List.copyOf(messages);
    }

    /**
     * Reads and validates a request body: it must be a JSON object whose {@code messages} is a non-empty array of
     * objects with a known {@code role}, and whose contents are strings, arrays of parts, or null.
     *
     * @throws InvalidRequestException naming the offending field
     */
    public static ChatRequest parse(Buffer json) throws InvalidRequestException {
        JsonNode root;
        try {
            root = JSON.readTree(json.getBytes());
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("We could not parse the JSON body of your request: "
                    + e.getOriginalMessage() + ". Send valid JSON.", null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException("The request body must be a JSON object.", null);
        }
        return new ChatRequest((ObjectNode) root, readMessages(root.get("messages")));
    }

    private static List<Message> readMessages(JsonNode node) throws InvalidRequestException {
        if (node == null || node.isNull()) {
            throw new InvalidRequestException("Missing required parameter: 'messages'.", "messages");
        }
        if (!node.isArray()) {
            throw new InvalidRequestException("Invalid type for 'messages': expected an array.", "messages");
        }
        if (node.isEmpty()) {
            throw new InvalidRequestException(
                    "Invalid 'messages': empty array. Expected an array with minimum length 1.", "messages");
        }
        List<Message> messages = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            messages.add(readMessage(node.get(i), "messages[" + i + "]"));
        }
        return messages;
    }

    private static Message readMessage(JsonNode node, String path) throws InvalidRequestException {
        if (!node.isObject()) {
            throw new InvalidRequestException("Invalid type for '" + path + "': expected an object.", path);
        }
        JsonNode role = node.get("role");
        if (role == null || !role.isTextual()) {
            throw new InvalidRequestException("Missing required parameter: '" + path + ".role'.", path + ".role");
        }
        if (!ROLES.contains(role.textValue())) {
            throw new InvalidRequestException("Invalid value for '" + path + ".role': '" + role.textValue()
                    + "'. Supported values are: " + String.join(", ", ROLES.stream().sorted().toList()) + ".",
                    path + ".role");
        }
        return new Message(role.textValue(), text(node.get("content"), path + ".content"));
    }

    private static String text(JsonNode content, String path) throws InvalidRequestException {
        if (content == null || content.isNull()) {
            return "";  // an assistant turn that only calls tools
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        if (content.isArray()) {
            return StreamSupport.stream(content.spliterator(), false)
                    .filter(part -> "text".equals(part.path("type").asText()) && part.path("text").isTextual())
                    .map(part -> part.get("text").textValue())
                    .collect(Collectors.joining("\n"));
        }
        throw new InvalidRequestException(
                "Invalid type for '" + path + "': expected a string or an array of content parts.", path);
    }

    /** The requested model ({@code auto}, an expert, {@code generalist}), or null when absent or not a string. */
    public String model() {
        JsonNode model = body.get("model");
        return model != null && model.isTextual() ? model.textValue() : null;
    }

    /** True when the client asked for server-sent events. */
    public boolean stream() {
        return body.path("stream").asBoolean(false);
    }

    /** The conversation, in order. */
    public List<Message> messages() {
        return messages;
    }

    /** This request with {@code model} replaced; every other field unchanged. */
    public ChatRequest withModel(String model) {
        ObjectNode copy = body.deepCopy();
        copy.put("model", model);
        return new ChatRequest(copy, messages);
    }

    /** This request with a system message put before the conversation. */
    public ChatRequest withSystemPrompt(String prompt) {
        ObjectNode copy = body.deepCopy();
        ArrayNode conversation = (ArrayNode) copy.get("messages");
        conversation.insertObject(0).put("role", "system").put("content", prompt);
        List<Message> turns = new ArrayList<>(messages.size() + 1);
        turns.add(new Message("system", prompt));
        turns.addAll(messages);
        return new ChatRequest(copy, turns);
    }

    /** The body as JSON, ready to send. */
    public Buffer toBuffer() {
        try {
            return Buffer.buffer(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree always serialises", e);
        }
    }

    /** True when a streaming client asked for a final usage chunk ({@code stream_options.include_usage}). */
    public boolean includeUsage() {
        return body.path("stream_options").path("include_usage").asBoolean(false);
    }
}
