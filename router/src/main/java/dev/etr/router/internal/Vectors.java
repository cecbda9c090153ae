package dev.etr.router.internal;

/** Small dense-vector kernels shared by the head, the trainer and the baselines. */
public final class Vectors {

    private Vectors() {
    }

    /** Dot product of {@code a} with row {@code row} of a row-major matrix of width {@code a.length}. */
    public static float dot(float[] a, float[] matrix, int row) {
        int d = a.length;
        int off = row * d;
        // Four accumulators break the add dependency chain so the JIT can pipeline the multiplies.
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < d; i += 4) {
            s0 += a[i] * matrix[off + i];
            s1 += a[i + 1] * matrix[off + i + 1];
            s2 += a[i + 2] * matrix[off + i + 2];
            s3 += a[i + 3] * matrix[off + i + 3];
        }
        for (; i < d; i++) {
            s0 += a[i] * matrix[off + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    public static float dot(float[] a, float[] b) {
        return dot(a, b, 0);
    }

    /** A unit-length copy of {@code v} (or a copy of it unchanged when it is all zeros). */
    public static float[] normalized(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        float[] out = v.clone();
        if (norm == 0) {
            return out;
        }
        float inv = (float) (1.0 / Math.sqrt(norm));
        for (int i = 0; i < out.length; i++) {
            out[i] *= inv;
        }
        return out;
    }

    /** Numerically stable softmax of {@code logits} into {@code out}. */
    public static void softmax(float[] logits, double[] out) {
        float max = Float.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            double e = Math.exp(logits[i] - max);
            out[i] = e;
            sum += e;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= sum;
        }
    }

    /** Index of the largest value (the first, on ties). */
    public static int argmax(double[] values) {
        int best = 0;
        for (int k = 1; k < values.length; k++) {
            if (values[k] > values[best]) {
                best = k;
            }
        }
        return best;
    }
}
