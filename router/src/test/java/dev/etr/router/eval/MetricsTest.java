package dev.etr.router.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MetricsTest {

    @Test
    void should_compute_confusion_accuracy_and_f1_when_given_a_small_example() {
        // given: labels x, y, z
        //   truth      x x x y y z
        //   predicted  x x y y z z
        List<String> labels = List.of("x", "y", "z");
        int[] truth = {0, 0, 0, 1, 1, 2};
        int[] predicted = {0, 0, 1, 1, 2, 2};
        double[] confidence = {0.9, 0.9, 0.9, 0.9, 0.9, 0.9};
        long[] nanos = {5000, 1000, 3000, 2000, 4000, 6000};

        // when
        Metrics m = Metrics.of(labels, truth, predicted, confidence, nanos);

        // then: confusion[true][predicted]
        assertThat(m.confusion()).isDeepEqualTo(new int[][] {
                {2, 1, 0},
                {0, 1, 1},
                {0, 0, 1}});
        // 4 of 6 right
        assertThat(m.accuracy()).isCloseTo(4.0 / 6, within(1e-12));
        // x: tp 2, predicted-as 2, support 3 -> P 1, R 2/3, F1 0.8
        // y: tp 1, predicted-as 2, support 2 -> P 0.5, R 0.5, F1 0.5
        // z: tp 1, predicted-as 2, support 1 -> P 0.5, R 1, F1 2/3
        assertScore(m.perLabel().get(0), "x", 1.0, 2.0 / 3, 0.8, 3);
        assertScore(m.perLabel().get(1), "y", 0.5, 0.5, 0.5, 2);
        assertScore(m.perLabel().get(2), "z", 0.5, 1.0, 2.0 / 3, 1);
        // macro-F1 = (0.8 + 0.5 + 0.6667) / 3
        assertThat(m.macroF1()).isCloseTo((0.8 + 0.5 + 2.0 / 3) / 3, within(1e-12));
        assertThat(m.macroF1()).isCloseTo(0.655556, within(1e-6));
        // all confidences 0.9 in one bin, accuracy 4/6 there: |0.6667 - 0.9|
        assertThat(m.expectedCalibrationError()).isCloseTo(0.9 - 4.0 / 6, within(1e-12));
        // sorted nanos 1000..6000: p50 is rank ceil(3) = 3 -> 3000 ns; p99 rank ceil(5.94) = 6 -> 6000 ns
        assertThat(m.decideMicrosP50()).isEqualTo(3.0);
        assertThat(m.decideMicrosP99()).isEqualTo(6.0);
        assertThat(m.labels()).containsExactly("x", "y", "z");
    }

    @Test
    void should_score_zero_without_dividing_by_zero_when_a_label_is_never_predicted_nor_present() {
        // given: label "w" has no support and is never predicted
        List<String> labels = List.of("v", "w");
        int[] truth = {0, 0};
        int[] predicted = {0, 0};

        // when
        Metrics m = Metrics.of(labels, truth, predicted, new double[] {1.0, 1.0}, new long[] {1, 1});

        // then
        assertScore(m.perLabel().get(1), "w", 0, 0, 0, 0);
        assertThat(m.accuracy()).isEqualTo(1.0);
        assertThat(m.macroF1()).isEqualTo(0.5);
        // confidence 1.0 falls in the last bin; accuracy 1 there
        assertThat(m.expectedCalibrationError()).isEqualTo(0.0);
    }

    @Test
    void should_weight_bins_by_size_when_computing_calibration_error() {
        // given: two in bin 13 (confidence 0.9: one right, one wrong) and two in bin 4 (confidence 0.3: both right)
        int[] truth = {0, 0, 1, 1};
        int[] predicted = {0, 1, 1, 1};
        double[] confidence = {0.9, 0.9, 0.3, 0.3};

        // when
        double ece = Metrics.calibrationError(truth, predicted, confidence);

        // then: 2/4 · |0.5 − 0.9| + 2/4 · |1 − 0.3| = 0.2 + 0.35
        assertThat(ece).isCloseTo(0.55, within(1e-12));
        assertThat(Metrics.calibrationError(new int[0], new int[0], new double[0])).isEqualTo(0.0);
    }

    @Test
    void should_take_nearest_rank_when_computing_percentiles() {
        // given
        long[] sorted = {10, 20, 30, 40, 50};

        // when / then: rank = ceil(q · n), 1-based
        assertThat(Metrics.percentile(sorted, 0.5)).isEqualTo(30);   // ceil(2.5) = 3
        assertThat(Metrics.percentile(sorted, 0.4)).isEqualTo(20);   // ceil(2.0) = 2
        assertThat(Metrics.percentile(sorted, 0.99)).isEqualTo(50);  // ceil(4.95) = 5
        assertThat(Metrics.percentile(sorted, 1.0)).isEqualTo(50);
        assertThat(Metrics.percentile(sorted, 0.0)).isEqualTo(10);
        assertThat(Metrics.percentile(new long[0], 0.5)).isEqualTo(0);
        long[] hundred = new long[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = i + 1;
        }
        assertThat(Metrics.percentile(hundred, 0.99)).isEqualTo(99);
        assertThat(Metrics.percentile(hundred, 0.5)).isEqualTo(50);
    }

    private static void assertScore(Metrics.LabelScore s, String label, double precision, double recall, double f1, int support) {
        assertThat(s.label()).isEqualTo(label);
        assertThat(s.precision()).as("precision of %s", label).isCloseTo(precision, within(1e-12));
        assertThat(s.recall()).as("recall of %s", label).isCloseTo(recall, within(1e-12));
        assertThat(s.f1()).as("f1 of %s", label).isCloseTo(f1, within(1e-12));
        assertThat(s.support()).as("support of %s", label).isEqualTo(support);
    }
}
