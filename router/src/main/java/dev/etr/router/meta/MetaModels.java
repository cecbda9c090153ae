package dev.etr.router.meta;

import dev.etr.config.MetaModelConfig;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Builds the {@link MetaModel} a configuration asks for. */
public final class MetaModels {

    private MetaModels() {
    }

    public static MetaModel create(MetaModelConfig config) {
        Truncation truncation = config.maxTokens() == null
                ? Truncation.defaults()
                // ~4 characters per token for English text
                : new Truncation(Math.max(16, config.maxTokens() * 4));
        return switch (config.type()) {
            case embedded -> embedded(truncation);
            case onnx -> onnx(Path.of(config.modelPath()), Path.of(config.tokenizerPath()),
                    config.pooling() == null ? PoolingMode.MEAN : PoolingMode.valueOf(config.pooling().toUpperCase(Locale.ROOT)),
                    truncation);
            case openai_embeddings -> openAi(config.baseUrl(), config.model(), config.apiKey(), truncation);
        };
    }

    /** BAAI bge-small-en-v1.5, int8 ONNX, loaded from the jar: no download, ever. */
    public static MetaModel embedded() {
        return embedded(Truncation.defaults());
    }

    static MetaModel embedded(Truncation truncation) {
        ExecutorService pool = encoderPool();
        EmbeddingModel model = new BgeSmallEnV15QuantizedEmbeddingModel(pool);
        return new LangChain4jMetaModel("embedded:bge-small-en-v1.5-q|chars=" + truncation.maxChars(), model, truncation);
    }

    static MetaModel onnx(Path modelPath, Path tokenizerPath, PoolingMode pooling, Truncation truncation) {
        EmbeddingModel model = new OnnxEmbeddingModel(modelPath, tokenizerPath, pooling, encoderPool());
        // Size and mtime make the id change when the file is replaced, so stale cached embeddings are never reused.
        String id = "onnx:" + fingerprint(modelPath) + "|" + pooling + "|chars=" + truncation.maxChars();
        return new LangChain4jMetaModel(id, model, truncation);
    }

    static MetaModel openAi(String baseUrl, String modelName, String apiKey, Truncation truncation) {
        EmbeddingModel model = OpenAiEmbeddingModel.builder()
                .baseUrl(baseUrl)
                .modelName(modelName)
                // Local servers (llama.cpp, vLLM) take no key, but the client insists on one.
                .apiKey(apiKey == null || apiKey.isBlank() ? "none" : apiKey)
                .build();
        return new LangChain4jMetaModel("openai-embeddings:" + baseUrl + "|" + modelName + "|chars=" + truncation.maxChars(),
                model, truncation);
    }

    private static ExecutorService encoderPool() {
        int threads = Runtime.getRuntime().availableProcessors();
        return Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "etr-encoder");
            thread.setDaemon(true);
            return thread;
        });
    }

    private static String fingerprint(Path file) {
        try {
            return file.toAbsolutePath() + "@" + Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException("meta-model file " + file + " cannot be read", e);
        }
    }
}
