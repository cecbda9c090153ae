package dev.etr.bench;

import dev.etr.router.RoutingDecision;
import dev.etr.router.head.ExpertHead;
import dev.etr.router.internal.Vectors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** The head decision (softmax over every expert token, ranked probabilities) for one 384-d request vector. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HeadBench {

    @Param({"10", "100", "1000"})
    int experts;

    ExpertHead head;
    float[] h;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        List<String> tokens = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        for (int k = 0; k < experts; k++) {
            tokens.add(k == 0 ? RoutingDecision.GENERALIST : "expert-" + k);
            rows.add(randomUnit(random));
        }
        head = ExpertHead.of(tokens, rows, new float[experts], 20f, 0.0);
        h = randomUnit(random);
    }

    static float[] randomUnit(Random random) {
        float[] v = new float[384];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Vectors.normalized(v);
    }

    @Benchmark
    public RoutingDecision decide() {
        return head.decide(h, 0);
    }

    @Benchmark
    public double[] probabilities() {
        return head.probabilities(h);
    }
}
