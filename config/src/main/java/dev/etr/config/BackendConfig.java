package dev.etr.config;

import java.time.Duration;
import java.util.Map;

/**
 * Where an expert (or the generalist) is served.
 *
 * @param type    {@code openai}: any OpenAI-compatible server; {@code mock}: canned answers for demos and tests
 * @param model   model name sent to the backend in place of the client's {@code model}
 * @param headers extra HTTP headers sent with every request
 */
public record BackendConfig(
        Type type, String baseUrl, String model, String apiKey, Duration timeout, Map<String, String> headers) {

    public enum Type { openai, mock }

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    public BackendConfig {
        type = type == null ? Type.openai : type;
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}
