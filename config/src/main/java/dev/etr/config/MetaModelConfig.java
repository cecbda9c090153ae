package dev.etr.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Which frozen encoder reads requests.
 *
 * <ul>
 *   <li>{@code embedded}: bge-small-en-v1.5 int8 ONNX, shipped inside the jar;</li>
 *   <li>{@code onnx}: an ONNX encoder from {@code modelPath} with its {@code tokenizerPath} (HuggingFace tokenizer.json);</li>
 *   <li>{@code openai-embeddings}: an OpenAI-compatible {@code /v1/embeddings} endpoint at {@code baseUrl}.</li>
 * </ul>
 *
 * <p>Relative {@code modelPath}/{@code tokenizerPath} are resolved against the config file's directory
 * by the loader, so they arrive here absolute.
 *
 * @param pooling   for {@code onnx}: {@code cls} or {@code mean}
 * @param maxTokens the encoder's window; longer inputs are truncated (see the router's truncation rule)
 */
public record MetaModelConfig(
        Type type, String modelPath, String tokenizerPath, String pooling,
        String baseUrl, String model, String apiKey, Integer maxTokens) {

    /** Written in config files as {@code embedded}, {@code onnx}, {@code openai-embeddings}. */
    public enum Type {
        embedded,
        onnx,
        @JsonProperty("openai-embeddings") openai_embeddings
    }

    public MetaModelConfig {
        type = type == null ? Type.embedded : type;
    }

    public static MetaModelConfig embedded() {
        return new MetaModelConfig(Type.embedded, null, null, null, null, null, null, null);
    }

    @Override
    public String toString() {
        return "MetaModelConfig[type=" + type + ", modelPath=" + modelPath + ", tokenizerPath=" + tokenizerPath
                + ", pooling=" + pooling + ", baseUrl=" + baseUrl + ", model=" + model
                + ", apiKey=" + Checks.mask(apiKey) + ", maxTokens=" + maxTokens + "]";
    }
}
