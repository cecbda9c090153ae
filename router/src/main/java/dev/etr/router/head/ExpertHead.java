package dev.etr.router.head;

import dev.etr.router.ExpertProbability;
import dev.etr.router.RoutingDecision;
import dev.etr.router.internal.Vectors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The expert-token head: one row {@code e_k} and bias {@code b_k} per token, appended to the frozen meta-model's
 * output; {@code p(k | x) = softmax(scale · <e_k, h(x)> + b_k)} over every token. One token may be the
 * {@linkplain RoutingDecision#GENERALIST generalist}: the meta-model "answering itself".
 *
 * <p>Immutable: a snapshot that routing threads share freely; changes build a new head ({@link #withToken},
 * {@link #withoutToken}, {@link #withThreshold}).
 */
public final class ExpertHead {

    private final List<String> tokens;
    private final Map<String, Integer> index;
    private final int dimension;
    private final float[] rows;
    private final float[] biases;
    private final float scale;
    private final double threshold;

    private ExpertHead(List<String> tokens, int dimension, float[] rows, float[] biases, float scale, double threshold) {
        this.tokens = List.copyOf(tokens);
        this.dimension = dimension;
        this.rows = rows;
        this.biases = biases;
        this.scale = scale;
        this.threshold = threshold;
        this.index = new HashMap<>();
        for (int k = 0; k < this.tokens.size(); k++) {
            if (index.put(this.tokens.get(k), k) != null) {
                throw new IllegalArgumentException("tokens: \"" + this.tokens.get(k) + "\" appears twice");
            }
        }
    }

    /**
     * @param rows      one row per token, each of the same dimension (copied)
     * @param threshold below this probability of the best expert, the generalist answers
     */
    public static ExpertHead of(List<String> tokens, List<float[]> rows, float[] biases, float scale, double threshold) {
        if (tokens.size() != rows.size() || tokens.size() != biases.length) {
            throw new IllegalArgumentException("tokens, rows and biases differ in length: "
                    + tokens.size() + ", " + rows.size() + ", " + biases.length);
        }
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("tokens: a head needs at least one token");
        }
        if (!(scale > 0)) {
            throw new IllegalArgumentException("scale: " + scale + " is not positive");
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold: " + threshold + " is not in [0, 1]");
        }
        int d = rows.get(0).length;
        float[] flat = new float[tokens.size() * d];
        for (int k = 0; k < rows.size(); k++) {
            if (rows.get(k).length != d) {
                throw new IllegalArgumentException("rows[" + k + "]: dimension " + rows.get(k).length + ", expected " + d);
            }
            System.arraycopy(rows.get(k), 0, flat, k * d, d);
        }
        return new ExpertHead(tokens, d, flat, biases.clone(), scale, threshold);
    }

    public List<String> tokens() {
        return tokens;
    }

    public int size() {
        return tokens.size();
    }

    public int dimension() {
        return dimension;
    }

    public float scale() {
        return scale;
    }

    public double threshold() {
        return threshold;
    }

    /** Index of the token, or -1. */
    public int indexOf(String token) {
        return index.getOrDefault(token, -1);
    }

    /** A copy of token {@code k}'s row. */
    public float[] row(int k) {
        return Arrays.copyOfRange(rows, k * dimension, (k + 1) * dimension);
    }

    public float bias(int k) {
        return biases[k];
    }

    /** {@code p(k | h)} for every token, in token order; sums to 1. */
    public double[] probabilities(float[] h) {
        if (h.length != dimension) {
            throw new IllegalArgumentException("h has dimension " + h.length + ", the head expects " + dimension);
        }
        float[] logits = new float[tokens.size()];
        for (int k = 0; k < logits.length; k++) {
            logits[k] = scale * Vectors.dot(h, rows, k) + biases[k];
        }
        double[] p = new double[logits.length];
        Vectors.softmax(logits, p);
        return p;
    }

    /** Index of the most probable token. */
    public int predict(float[] h) {
        return Vectors.argmax(probabilities(h));
    }

    /**
     * The routing decision for {@code h}: the most probable token, unless it is an expert whose probability is
     * under the threshold, in which case the generalist answers ({@code abstained}).
     */
    public RoutingDecision decide(float[] h, long routeNanos) {
        double[] p = probabilities(h);
        int best = Vectors.argmax(p);
        String winner = tokens.get(best);
        boolean abstained = !RoutingDecision.GENERALIST.equals(winner) && p[best] < threshold;
        Integer[] order = new Integer[p.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        List<ExpertProbability> ranked = new ArrayList<>(p.length);
        for (int k : order) {
            ranked.add(new ExpertProbability(tokens.get(k), p[k]));
        }
        return new RoutingDecision(abstained ? RoutingDecision.GENERALIST : winner, p[best], abstained, ranked, routeNanos);
    }

    /** This head with {@code token}'s row and bias set: replaced when present, appended otherwise. */
    public ExpertHead withToken(String token, float[] row, float bias) {
        if (row.length != dimension) {
            throw new IllegalArgumentException("row has dimension " + row.length + ", the head expects " + dimension);
        }
        int k = indexOf(token);
        if (k >= 0) {
            float[] newRows = rows.clone();
            float[] newBiases = biases.clone();
            System.arraycopy(row, 0, newRows, k * dimension, dimension);
            newBiases[k] = bias;
            return new ExpertHead(tokens, dimension, newRows, newBiases, scale, threshold);
        }
        List<String> newTokens = new ArrayList<>(tokens);
        newTokens.add(token);
        float[] newRows = Arrays.copyOf(rows, rows.length + dimension);
        System.arraycopy(row, 0, newRows, rows.length, dimension);
        float[] newBiases = Arrays.copyOf(biases, biases.length + 1);
        newBiases[biases.length] = bias;
        return new ExpertHead(newTokens, dimension, newRows, newBiases, scale, threshold);
    }

    /** This head without {@code token}; every other row unchanged. */
    public ExpertHead withoutToken(String token) {
        int k = indexOf(token);
        if (k < 0) {
            throw new IllegalArgumentException("token: \"" + token + "\" is not in the head");
        }
        if (tokens.size() == 1) {
            throw new IllegalArgumentException("token: \"" + token + "\" is the head's last token");
        }
        List<String> newTokens = new ArrayList<>(tokens);
        newTokens.remove(k);
        float[] newRows = new float[rows.length - dimension];
        System.arraycopy(rows, 0, newRows, 0, k * dimension);
        System.arraycopy(rows, (k + 1) * dimension, newRows, k * dimension, rows.length - (k + 1) * dimension);
        float[] newBiases = new float[biases.length - 1];
        System.arraycopy(biases, 0, newBiases, 0, k);
        System.arraycopy(biases, k + 1, newBiases, k, biases.length - k - 1);
        return new ExpertHead(newTokens, dimension, newRows, newBiases, scale, threshold);
    }

    public ExpertHead withThreshold(double newThreshold) {
        if (!(newThreshold >= 0 && newThreshold <= 1)) {
            throw new IllegalArgumentException("threshold: " + newThreshold + " is not in [0, 1]");
        }
        return new ExpertHead(tokens, dimension, rows, biases, scale, newThreshold);
    }
}
