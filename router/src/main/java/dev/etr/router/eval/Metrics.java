package dev.etr.router.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How well one method routed a test set.
 *
 * @param confusion          {@code confusion[true][predicted]} counts, in {@code labels} order
 * @param perLabel           precision, recall and F1 of each label
 * @param expectedCalibrationError mean |accuracy − confidence| over {@value #CALIBRATION_BINS} equal-width bins,
 *                           weighted by bin size
 * @param decideMicrosP50    median time to decide from an embedding, µs (the encoder is measured separately)
 */
public record Metrics(
        List<String> labels, int[][] confusion, double accuracy, double macroF1, List<LabelScore> perLabel,
        double expectedCalibrationError, double decideMicrosP50, double decideMicrosP99) {

    static final int CALIBRATION_BINS = 15;

    public record LabelScore(String label, double precision, double recall, double f1, int support) {
    }

    /**
     * @param truth      index of the right label per example
     * @param predicted  index of the chosen label per example
     * @param confidence the probability the method gave its choice
     * @param decideNanos time each decision took
     */
    public static Metrics of(List<String> labels, int[] truth, int[] predicted, double[] confidence, long[] decideNanos) {
        int n = truth.length;
        int k = labels.size();
        int[][] confusion = new int[k][k];
        int correct = 0;
        for (int i = 0; i < n; i++) {
            confusion[truth[i]][predicted[i]]++;
            if (truth[i] == predicted[i]) {
                correct++;
            }
        }
        List<LabelScore> perLabel = new ArrayList<>(k);
        double f1Sum = 0;
        for (int c = 0; c < k; c++) {
            int tp = confusion[c][c];
            int predictedAs = 0;
            int support = 0;
            for (int o = 0; o < k; o++) {
                predictedAs += confusion[o][c];
                support += confusion[c][o];
            }
            double precision = predictedAs == 0 ? 0 : (double) tp / predictedAs;
            double recall = support == 0 ? 0 : (double) tp / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perLabel.add(new LabelScore(labels.get(c), precision, recall, f1, support));
            f1Sum += f1;
        }
        long[] sorted = decideNanos.clone();
        Arrays.sort(sorted);
        return new Metrics(List.copyOf(labels), confusion, n == 0 ? 0 : (double) correct / n, k == 0 ? 0 : f1Sum / k,
                List.copyOf(perLabel), calibrationError(truth, predicted, confidence),
                percentile(sorted, 0.50) / 1000.0, percentile(sorted, 0.99) / 1000.0);
    }

    static double calibrationError(int[] truth, int[] predicted, double[] confidence) {
        int n = truth.length;
        if (n == 0) {
            return 0;
        }
        double[] confidenceSum = new double[CALIBRATION_BINS];
        int[] correct = new int[CALIBRATION_BINS];
        int[] count = new int[CALIBRATION_BINS];
        for (int i = 0; i < n; i++) {
            int bin = Math.min(CALIBRATION_BINS - 1, (int) (confidence[i] * CALIBRATION_BINS));
            confidenceSum[bin] += confidence[i];
            count[bin]++;
            if (truth[i] == predicted[i]) {
                correct[bin]++;
            }
        }
        double ece = 0;
        for (int b = 0; b < CALIBRATION_BINS; b++) {
            if (count[b] > 0) {
                ece += Math.abs((double) correct[b] / count[b] - confidenceSum[b] / count[b]) * count[b] / n;
            }
        }
        return ece;
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
