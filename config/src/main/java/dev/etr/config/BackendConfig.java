package dev.etr.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Duration;
import java.util.Map;

/**
 * Where an expert (or the generalist) is served.
 *
 * @param type    {@code openai}: any OpenAI-compatible server; {@code mock}: canned answers for demos and tests
 * @param model   model name sent to the backend in place of the client's {@code model}
 * @param timeout per-request timeout, written {@code 30s}, {@code 500ms}, {@code 1m} or ISO-8601 (default 60s)
 * @param headers extra HTTP headers sent with every request
 * @param resilience timeouts, retries, circuit breaker, bulkhead and fallback of this backend (defaults when left out)
 */
public record BackendConfig(
        Type type, String baseUrl, String model, String apiKey,
        @JsonSerialize(using = Durations.Serializer.class)
        @JsonDeserialize(using = Durations.Deserializer.class)
        Duration timeout,
        Map<String, String> headers,
        ResilienceConfig resilience) {

    public enum Type { openai, mock }

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    public BackendConfig {
        type = type == null ? Type.openai : type;
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        headers = Checks.copyWithoutNulls(headers, "headers");
        resilience = resilience == null ? ResilienceConfig.DEFAULTS : resilience;
    }

    /** A backend with the default fault tolerance. */
    public BackendConfig(Type type, String baseUrl, String model, String apiKey, Duration timeout,
                         Map<String, String> headers) {
        this(type, baseUrl, model, apiKey, timeout, headers, null);
    }

    /** The same backend with other fault-tolerance settings. */
    public BackendConfig withResilience(ResilienceConfig resilience) {
        return new BackendConfig(type, baseUrl, model, apiKey, timeout, headers, resilience);
    }

    /** An OpenAI-compatible backend with the default timeout and no extra headers. */
    public static BackendConfig openai(String baseUrl, String model, String apiKey) {
        return new BackendConfig(Type.openai, baseUrl, model, apiKey, null, null);
    }

    /** A canned-answer backend (for demos and tests). */
    public static BackendConfig mock() {
        return new BackendConfig(Type.mock, null, null, null, null, null);
    }

    /** Masks the API key and header values (headers often carry credentials). */
    @Override
    public String toString() {
        return "BackendConfig[type=" + type + ", baseUrl=" + baseUrl + ", model=" + model
                + ", apiKey=" + Checks.mask(apiKey) + ", timeout=" + Durations.format(timeout)
                + ", headers=" + Checks.mask(headers)
                + (resilience.equals(ResilienceConfig.DEFAULTS) ? "" : ", resilience=" + resilience) + "]";
    }
}
