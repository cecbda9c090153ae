package dev.etr.router.head;

import dev.etr.router.internal.Vectors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Trains expert tokens with cross-entropy and AdamW while the meta-model stays frozen. Deterministic for a seed.
 *
 * <p>Two modes, as in Expert-Token-Routing: {@link #trainJoint joint} trains every token; {@link #extend extend}
 * trains only new tokens, every existing row and bias bit-identical (plug-and-play).
 *
 * <p>Each row starts at the mean embedding of its examples (the analogue of the paper's mean-of-head init), and
 * AdamW's decoupled weight decay pulls it back towards that start rather than towards zero. Without that anchor a
 * head trained on one style of request (exam questions with options, say) learns the style as much as the domain
 * and misroutes plain chat requests of the same domains, where the centroid does not.
 */
public final class HeadTrainer {

    /**
     * @param anchorDecay AdamW decoupled weight decay towards each row's initial value
     * @param scale       the logit scale {@code s}
     */
    public record Options(int epochs, int batchSize, double learningRate, double anchorDecay, float scale, long seed) {

        public Options {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs: " + epochs + " is below 1");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize: " + batchSize + " is below 1");
            }
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("learningRate: " + learningRate + " is not positive");
            }
            if (!(anchorDecay >= 0)) {
                throw new IllegalArgumentException("anchorDecay: " + anchorDecay + " is negative");
            }
        }

        public static Options defaults() {
            return new Options(20, 64, 0.01, 0.1, 10f, 42);
        }

        public Options withSeed(long newSeed) {
            return new Options(epochs, batchSize, learningRate, anchorDecay, scale, newSeed);
        }
    }

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;
    /** Probabilities this far from their target contribute nothing measurable; skipping them is most of the speed. */
    private static final double NEGLIGIBLE_GRADIENT = 1e-7;

    private final Options options;

    public HeadTrainer(Options options) {
        this.options = options;
    }

    public Options options() {
        return options;
    }

    /** Trains every token of {@code tokens} from scratch on {@code set}; each token needs at least one example. */
    public ExpertHead trainJoint(List<String> tokens, TrainingSet set, double threshold) {
        int d = dimensionOf(set);
        List<float[]> rows = new ArrayList<>();
        for (String token : tokens) {
            rows.add(centroid(token, set, d));
        }
        ExpertHead start = ExpertHead.of(tokens, rows, new float[tokens.size()], options.scale(), threshold);
        return train(start, Set.copyOf(tokens), set);
    }

    /**
     * Adds (or re-trains) {@code newTokens} on top of {@code base}, training only their rows. {@code set} should hold
     * examples of the existing tokens too: they are the negatives that keep a new token from claiming everything.
     */
    public ExpertHead extend(ExpertHead base, List<String> newTokens, TrainingSet set) {
        if (newTokens.isEmpty()) {
            throw new IllegalArgumentException("newTokens: nothing to train");
        }
        int d = base.dimension();
        if (dimensionOf(set) != d) {
            throw new IllegalArgumentException("examples have dimension " + dimensionOf(set) + ", the head " + d);
        }
        ExpertHead start = base;
        for (String token : newTokens) {
            start = start.withToken(token, centroid(token, set, d), 0f);
        }
        return train(start, Set.copyOf(newTokens), set);
    }

    private ExpertHead train(ExpertHead start, Set<String> trainable, TrainingSet set) {
        int tokenCount = start.size();
        int d = start.dimension();
        int n = set.size();
        int[] target = new int[n];
        for (int i = 0; i < n; i++) {
            target[i] = start.indexOf(set.labels().get(i));
            if (target[i] < 0) {
                throw new IllegalArgumentException("examples[" + i + "]: label \"" + set.labels().get(i) + "\" is not a token of the head");
            }
        }
        boolean[] trains = new boolean[tokenCount];
        for (int k = 0; k < tokenCount; k++) {
            trains[k] = trainable.contains(start.tokens().get(k));
        }

        float[] w = new float[tokenCount * d];
        float[] anchor = new float[tokenCount * d];
        float[] b = new float[tokenCount];
        for (int k = 0; k < tokenCount; k++) {
            System.arraycopy(start.row(k), 0, w, k * d, d);
            b[k] = start.bias(k);
        }
        System.arraycopy(w, 0, anchor, 0, w.length);

        float[] gradW = new float[w.length];
        float[] gradB = new float[tokenCount];
        double[] m = new double[w.length];
        double[] v = new double[w.length];
        double[] mb = new double[tokenCount];
        double[] vb = new double[tokenCount];
        float[] logits = new float[tokenCount];
        double[] p = new double[tokenCount];
        float scale = start.scale();

        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(options.seed());
        int step = 0;
        for (int epoch = 0; epoch < options.epochs(); epoch++) {
            shuffle(order, random);
            for (int from = 0; from < n; from += options.batchSize()) {
                int to = Math.min(n, from + options.batchSize());
                Arrays.fill(gradW, 0f);
                Arrays.fill(gradB, 0f);
                float inv = 1f / (to - from);
                for (int j = from; j < to; j++) {
                    int i = order[j];
                    float[] x = set.vectors().get(i);
                    for (int k = 0; k < tokenCount; k++) {
                        logits[k] = scale * Vectors.dot(x, w, k) + b[k];
                    }
                    Vectors.softmax(logits, p);
                    for (int k = 0; k < tokenCount; k++) {
                        if (!trains[k]) {
                            continue;
                        }
                        // d(cross-entropy)/d(logit_k) = p_k - [k is the target]
                        float g = (float) (p[k] - (k == target[i] ? 1 : 0)) * inv;
                        if (Math.abs(g) < NEGLIGIBLE_GRADIENT) {
                            continue;
                        }
                        gradB[k] += g;
                        float gs = g * scale;
                        int off = k * d;
                        for (int c = 0; c < d; c++) {
                            gradW[off + c] += gs * x[c];
                        }
                    }
                }
                step++;
                adamW(w, gradW, m, v, anchor, trains, d, step);
                adam(b, gradB, mb, vb, trains, step);
            }
        }

        List<float[]> rows = new ArrayList<>(tokenCount);
        float[] biases = new float[tokenCount];
        for (int k = 0; k < tokenCount; k++) {
            // Frozen tokens keep the exact floats they came with.
            rows.add(trains[k] ? Arrays.copyOfRange(w, k * d, (k + 1) * d) : start.row(k));
            biases[k] = trains[k] ? b[k] : start.bias(k);
        }
        return ExpertHead.of(start.tokens(), rows, biases, scale, start.threshold());
    }

    private void adamW(float[] w, float[] grad, double[] m, double[] v, float[] anchor, boolean[] trains, int d, int step) {
        double lr = options.learningRate();
        double c1 = 1 - Math.pow(BETA1, step);
        double c2 = 1 - Math.pow(BETA2, step);
        double decay = lr * options.anchorDecay();
        for (int k = 0; k < trains.length; k++) {
            if (!trains[k]) {
                continue;
            }
            for (int i = k * d, end = i + d; i < end; i++) {
                m[i] = BETA1 * m[i] + (1 - BETA1) * grad[i];
                v[i] = BETA2 * v[i] + (1 - BETA2) * grad[i] * grad[i];
                double update = (m[i] / c1) / (Math.sqrt(v[i] / c2) + EPSILON);
                w[i] = (float) (w[i] - lr * update - decay * (w[i] - anchor[i]));
            }
        }
    }

    private void adam(float[] b, float[] grad, double[] m, double[] v, boolean[] trains, int step) {
        double c1 = 1 - Math.pow(BETA1, step);
        double c2 = 1 - Math.pow(BETA2, step);
        for (int k = 0; k < b.length; k++) {
            if (trains[k]) {
                m[k] = BETA1 * m[k] + (1 - BETA1) * grad[k];
                v[k] = BETA2 * v[k] + (1 - BETA2) * grad[k] * grad[k];
                b[k] = (float) (b[k] - options.learningRate() * (m[k] / c1) / (Math.sqrt(v[k] / c2) + EPSILON));
            }
        }
    }

    /** The unit-length mean embedding of {@code token}'s examples. */
    static float[] centroid(String token, TrainingSet set, int d) {
        float[] sum = new float[d];
        int count = 0;
        for (int i = 0; i < set.size(); i++) {
            if (set.labels().get(i).equals(token)) {
                float[] x = set.vectors().get(i);
                for (int c = 0; c < d; c++) {
                    sum[c] += x[c];
                }
                count++;
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("token \"" + token + "\" has no examples");
        }
        return Vectors.normalized(sum);
    }

    private static int dimensionOf(TrainingSet set) {
        if (set.size() == 0) {
            throw new IllegalArgumentException("examples: the training set is empty");
        }
        return set.vectors().get(0).length;
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
