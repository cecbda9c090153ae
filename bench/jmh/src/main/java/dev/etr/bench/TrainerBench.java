package dev.etr.bench;

import dev.etr.router.RoutingDecision;
import dev.etr.router.head.ExpertHead;
import dev.etr.router.head.HeadTrainer;
import dev.etr.router.head.TrainingSet;
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

/** Joint training of every token (AdamW, default options) on synthetic clustered embeddings: 20 examples per token. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class TrainerBench {

    @Param({"10", "50"})
    int experts;

    List<String> tokens;
    TrainingSet set;

    @Setup
    public void setUp() {
        Random random = new Random(7);
        tokens = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int k = 0; k < experts; k++) {
            String token = k == 0 ? RoutingDecision.GENERALIST : "expert-" + k;
            tokens.add(token);
            float[] centre = HeadBench.randomUnit(random);
            for (int i = 0; i < 20; i++) {
                float[] v = HeadBench.randomUnit(random);
                for (int j = 0; j < v.length; j++) {
                    v[j] = centre[j] + 0.5f * v[j];
                }
                vectors.add(Vectors.normalized(v));
                labels.add(token);
            }
        }
        set = new TrainingSet(vectors, labels);
    }

    @Benchmark
    public ExpertHead trainJoint() {
        return new HeadTrainer(HeadTrainer.Options.defaults()).trainJoint(tokens, set, 0.0);
    }
}
