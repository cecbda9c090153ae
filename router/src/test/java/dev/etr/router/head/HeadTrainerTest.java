package dev.etr.router.head;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeadTrainerTest {

    private static final int D = 4;
    private static final HeadTrainer.Options OPTIONS = new HeadTrainer.Options(30, 8, 0.05, 0.1, 10f, 1L);

    /** Ten points per label around basis direction {@code axis} of R^4, jittered deterministically by ±0.3. */
    private static TrainingSet cluster(String label, int axis, long jitterSeed) {
        SplittableRandom random = new SplittableRandom(jitterSeed);
        List<float[]> vectors = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            float[] v = new float[D];
            for (int c = 0; c < D; c++) {
                v[c] = (float) (0.3 * (2 * random.nextDouble() - 1));
            }
            v[axis] += 1f;
            vectors.add(v);
            labels.add(label);
        }
        return new TrainingSet(vectors, labels);
    }

    private static TrainingSet threeClasses() {
        return cluster("a", 0, 11).plus(cluster("b", 1, 12)).plus(cluster("c", 2, 13));
    }

    private static void assertClassifiesAll(ExpertHead head, TrainingSet set) {
        for (int i = 0; i < set.size(); i++) {
            assertThat(head.tokens().get(head.predict(set.vectors().get(i))))
                    .as("example %d", i).isEqualTo(set.labels().get(i));
        }
    }

    private static void assertFrozen(ExpertHead base, ExpertHead extended, String token) {
        int i = base.indexOf(token);
        int j = extended.indexOf(token);
        assertThat(Arrays.equals(base.row(i), extended.row(j))).as("row of %s", token).isTrue();
        assertThat(Float.floatToRawIntBits(extended.bias(j))).as("bias of %s", token)
                .isEqualTo(Float.floatToRawIntBits(base.bias(i)));
    }

    private static boolean identical(ExpertHead x, ExpertHead y) {
        if (!x.tokens().equals(y.tokens())) {
            return false;
        }
        for (int k = 0; k < x.size(); k++) {
            if (!Arrays.equals(x.row(k), y.row(k)) || Float.floatToRawIntBits(x.bias(k)) != Float.floatToRawIntBits(y.bias(k))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void should_reach_full_training_accuracy_when_classes_are_separable() {
        // given
        TrainingSet set = threeClasses();

        // when
        ExpertHead head = new HeadTrainer(OPTIONS).trainJoint(List.of("a", "b", "c"), set, 0.25);

        // then
        assertThat(head.tokens()).containsExactly("a", "b", "c");
        assertThat(head.dimension()).isEqualTo(D);
        assertThat(head.scale()).isEqualTo(10f);
        assertThat(head.threshold()).isEqualTo(0.25);
        assertClassifiesAll(head, set);
    }

    @Test
    void should_produce_bit_identical_heads_when_seed_is_the_same() {
        // given
        TrainingSet set = threeClasses();

        // when
        ExpertHead first = new HeadTrainer(OPTIONS).trainJoint(List.of("a", "b", "c"), set, 0.0);
        ExpertHead second = new HeadTrainer(OPTIONS).trainJoint(List.of("a", "b", "c"), set, 0.0);

        // then
        assertThat(identical(first, second)).isTrue();
    }

    @Test
    void should_differ_when_seed_differs() {
        // given: batches of 8 out of 30 examples, so the shuffle changes what each step sees
        TrainingSet set = threeClasses();

        // when
        ExpertHead one = new HeadTrainer(OPTIONS).trainJoint(List.of("a", "b", "c"), set, 0.0);
        ExpertHead other = new HeadTrainer(OPTIONS.withSeed(2L)).trainJoint(List.of("a", "b", "c"), set, 0.0);

        // then: both learn the task, through different floats
        assertThat(identical(one, other)).isFalse();
        assertClassifiesAll(other, set);
    }

    @Test
    void should_train_only_new_row_when_extending_with_new_token() {
        // given
        TrainingSet base = threeClasses();
        HeadTrainer trainer = new HeadTrainer(OPTIONS);
        ExpertHead head = trainer.trainJoint(List.of("a", "b", "c"), base, 0.1);
        TrainingSet withD = base.plus(cluster("d", 3, 14));

        // when
        ExpertHead extended = trainer.extend(head, List.of("d"), withD);

        // then
        assertThat(extended.tokens()).containsExactly("a", "b", "c", "d");
        assertThat(extended.threshold()).isEqualTo(0.1);
        assertFrozen(head, extended, "a");
        assertFrozen(head, extended, "b");
        assertFrozen(head, extended, "c");
        assertClassifiesAll(extended, withD);
    }

    @Test
    void should_retrain_only_that_row_when_extending_with_existing_token() {
        // given
        TrainingSet set = threeClasses();
        HeadTrainer trainer = new HeadTrainer(OPTIONS);
        ExpertHead head = trainer.trainJoint(List.of("a", "b", "c"), set, 0.0);

        // when: "b" restarts from its centroid and trains with a and c frozen
        ExpertHead retrained = trainer.extend(head, List.of("b"), set);

        // then
        assertThat(retrained.tokens()).containsExactly("a", "b", "c");
        assertFrozen(head, retrained, "a");
        assertFrozen(head, retrained, "c");
        int b = head.indexOf("b");
        assertThat(Arrays.equals(head.row(b), retrained.row(b)) && head.bias(b) == retrained.bias(b)).isFalse();
        assertClassifiesAll(retrained, set);
    }

    @Test
    void should_fail_when_a_label_is_not_a_token() {
        // given: examples 0-9 are a, 10-19 b, 20-29 c; the head only has a and b
        TrainingSet set = threeClasses();
        HeadTrainer trainer = new HeadTrainer(OPTIONS);

        // when / then
        assertThatThrownBy(() -> trainer.trainJoint(List.of("a", "b"), set, 0.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("examples[20]: label \"c\" is not a token of the head");
    }

    @Test
    void should_fail_when_a_token_has_no_examples() {
        // given
        TrainingSet set = threeClasses();
        HeadTrainer trainer = new HeadTrainer(OPTIONS);
        ExpertHead head = trainer.trainJoint(List.of("a", "b", "c"), set, 0.0);

        // when / then
        assertThatThrownBy(() -> trainer.trainJoint(List.of("a", "b", "c", "z"), set, 0.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("token \"z\" has no examples");
        assertThatThrownBy(() -> trainer.extend(head, List.of("z"), set))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("token \"z\" has no examples");
    }

    @Test
    void should_fail_with_verbatim_messages_when_arguments_are_invalid() {
        // given
        TrainingSet set = threeClasses();
        HeadTrainer trainer = new HeadTrainer(OPTIONS);
        ExpertHead head = trainer.trainJoint(List.of("a", "b", "c"), set, 0.0);
        TrainingSet twoD = new TrainingSet(List.<float[]>of(new float[] {1f, 0f}), List.of("a"));

        // when / then
        assertThatThrownBy(() -> trainer.extend(head, List.of(), set))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("newTokens: nothing to train");
        assertThatThrownBy(() -> trainer.extend(head, List.of("a"), twoD))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("examples have dimension 2, the head 4");
        assertThatThrownBy(() -> trainer.trainJoint(List.of("a"), new TrainingSet(List.of(), List.of()), 0.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("examples: the training set is empty");
        assertThatThrownBy(() -> new TrainingSet(List.<float[]>of(new float[1]), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("vectors and labels differ in length: 1 vs 0");
        assertThatThrownBy(() -> new HeadTrainer.Options(0, 8, 0.1, 0.1, 1f, 1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("epochs: 0 is below 1");
        assertThatThrownBy(() -> new HeadTrainer.Options(1, 0, 0.1, 0.1, 1f, 1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("batchSize: 0 is below 1");
        assertThatThrownBy(() -> new HeadTrainer.Options(1, 8, 0.0, 0.1, 1f, 1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("learningRate: 0.0 is not positive");
        assertThatThrownBy(() -> new HeadTrainer.Options(1, 8, 0.1, -1.0, 1f, 1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("anchorDecay: -1.0 is negative");
    }

    @Test
    void should_start_rows_at_unit_centroid_when_computing_initialisation() {
        // given: two examples of "a" at (3, 0) and (0, 4) -> sum (3, 4), unit (0.6, 0.8)
        TrainingSet set = new TrainingSet(List.of(new float[] {3f, 0f}, new float[] {0f, 4f}, new float[] {1f, 1f}),
                List.of("a", "a", "b"));

        // when
        float[] centroid = HeadTrainer.centroid("a", set, 2);

        // then
        assertThat(centroid[0]).isCloseTo(0.6f, org.assertj.core.api.Assertions.within(1e-6f));
        assertThat(centroid[1]).isCloseTo(0.8f, org.assertj.core.api.Assertions.within(1e-6f));
    }
}
