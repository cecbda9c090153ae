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

    /**
     * The embedded encoder: our own ONNX Runtime session over the model and tokenizer LangChain4j ships, one text per
     * ONNX call (so exactly LangChain4j's vectors, and the same id), but with one intra-op thread per call: on a
     * small machine, concurrent routing calls then run side by side on the cores instead of fighting over them
     * (measured ~2x the texts/s of LangChain4j's defaults, see BENCHMARKS.md). A many-text call (training
     * examples) runs its texts on up to one thread per core.
     *
     * <p>System property {@value #THREADS_PROPERTY} sets ONNX Runtime's intra-op threads per call (default 1; 0:
     * ONNX Runtime's own default, one per physical core).
     */
    static MetaModel embedded(Truncation truncation) {
        return OnnxBatchEncoder.bgeSmallQuantized(EMBEDDED_ID_PREFIX + truncation.maxChars(), truncation, 1,
                intraOpThreads(), Runtime.getRuntime().availableProcessors());
    }

    /** The embedded model through LangChain4j's own encoder, one text per ONNX call: the reference for tests. */
    public static MetaModel embeddedViaLangChain4j(Truncation truncation) {
        EmbeddingModel model = new BgeSmallEnV15QuantizedEmbeddingModel(encoderPool());
        return new LangChain4jMetaModel(EMBEDDED_ID_PREFIX + truncation.maxChars(), model, truncation);
    }

    /**
     * The embedded model with {@code maxBatch} texts per ONNX call and {@code intraOpThreads} threads per call, the
     * caller's thread only: for benchmarks. Past one text per call its vectors differ from {@link #embedded()}'s
     * (int8 dynamic quantisation), so it has its own id.
     */
    public static MetaModel embeddedBatching(int maxBatch, int intraOpThreads) {
        Truncation truncation = Truncation.defaults();
        String id = (maxBatch == 1 ? EMBEDDED_ID_PREFIX : BATCHED_ID_PREFIX) + truncation.maxChars();
        return OnnxBatchEncoder.bgeSmallQuantized(id, truncation, maxBatch, intraOpThreads, 1);
    }

    /** System property: ONNX Runtime intra-op threads per call of the embedded encoder (0: ONNX Runtime's default). */
    public static final String THREADS_PROPERTY = "etr.encoder.threads";
    private static final String EMBEDDED_ID_PREFIX = "embedded:bge-small-en-v1.5-q|chars=";
    private static final String BATCHED_ID_PREFIX = "embedded:bge-small-en-v1.5-q+batched|chars=";

    private static int intraOpThreads() {
        return Integer.getInteger(THREADS_PROPERTY, 1);
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
