package dev.etr.bench;

import dev.etr.router.meta.MetaModel;
import dev.etr.router.meta.MetaModels;
import dev.etr.router.meta.Truncation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Encoder throughput in texts per second (each op = one text; short chat questions of ~20 tokens, every one
 * distinct). {@code batched}: {@code batch} texts per ONNX call, {@code threads} intra-op threads. {@code production}:
 * the encoder etr serves with, one text per call; run with {@code -t N} for N concurrent routing threads (the
 * encoder-alone bound of the routed scenario is {@code production} at {@code -t <cores>}). {@code langchain4j}:
 * LangChain4j's own encoder, as before.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class EncoderBench {

    static final AtomicLong COUNTER = new AtomicLong();
    static final String[] WORDS = ("derivative integral landlord deposit heap thread mutex tax dividend "
            + "ibuprofen dosage contract clause galaxy orbit recipe compiler kernel invoice mortgage").split(" ");

    static String question() {
        long n = COUNTER.incrementAndGet();
        return "Question " + n + ": how does the " + WORDS[(int) (n % WORDS.length)] + " relate to the "
                + WORDS[(int) ((n / 7) % WORDS.length)] + " in case " + (n * 7919 % 100_000) + "?";
    }

    @State(Scope.Benchmark)
    public static class Batched {
        @Param({"1", "8", "32"})
        int batch;
        @Param({"1", "2"})
        int threads;
        MetaModel model;

        @Setup(Level.Trial)
        public void load() {
            model = MetaModels.embeddedBatching(batch, threads);
        }

        @TearDown(Level.Trial)
        public void close() {
            model.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Production {
        MetaModel model;

        @Setup(Level.Trial)
        public void load() {
            model = MetaModels.embedded();
        }

        @TearDown(Level.Trial)
        public void close() {
            model.close();
        }
    }

    @State(Scope.Benchmark)
    public static class LangChain4j {
        MetaModel model;

        @Setup(Level.Trial)
        public void load() {
            model = MetaModels.embeddedViaLangChain4j(Truncation.defaults());
        }

        @TearDown(Level.Trial)
        public void close() {
            model.close();
        }
    }

    /** Ops are ONNX calls; texts/s = ops/s × batch. */
    @Benchmark
    public List<float[]> batched(Batched state) {
        List<String> texts = new ArrayList<>(state.batch);
        for (int i = 0; i < state.batch; i++) {
            texts.add(question());
        }
        return state.model.embedAll(texts);
    }

    @Benchmark
    public float[] production(Production state) {
        return state.model.embed(question());
    }

    @Benchmark
    public float[] langchain4j(LangChain4j state) {
        return state.model.embed(question());
    }
}
