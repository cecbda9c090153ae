package dev.etr.config;

/**
 * Which frozen encoder reads requests.
 *
 * <ul>
 *   <li>{@code embedded}: bge-small-en-v1.5 int8 ONNX, shipped inside the jar;</li>
 *   <li>{@code onnx}: an ONNX encoder from {@code modelPath} with its {@code tokenizerPath} (HuggingFace tokenizer.json);</li>
 *   <li>{@code openai-embeddings}: an OpenAI-compatible {@code /v1/embeddings} endpoint at {@code baseUrl}.</li>
 * </ul>
 *
 * @param maxTokens the encoder's window; longer inputs are truncated (see the router's truncation rule)
 */
public record MetaModelConfig(
        Type type, String modelPath, String tokenizerPath, String pooling,
        String baseUrl, String model, String apiKey, Integer maxTokens) {

    public enum Type { embedded, onnx, openai_embeddings }

    public MetaModelConfig {
        type = type == null ? Type.embedded : type;
    }

    public static MetaModelConfig embedded() {
        return new MetaModelConfig(Type.embedded, null, null, null, null, null, null, null);
    }
}
