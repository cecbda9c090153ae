package dev.etr.router.eval;

import dev.etr.router.head.HeadTrainer;
import dev.etr.router.head.TrainingSet;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MethodsTest {

    private static TrainingSet set(List<float[]> vectors, String... labels) {
        return new TrainingSet(vectors, List.of(labels));
    }

    @Test
    void should_score_softmax_of_scaled_cosine_to_unit_centroids_when_method_is_centroid() {
        // given: a at (1, 0) and (0.8, 0.6) -> centroid (1.8, 0.6)/|.| = (0.94868, 0.31623); b at (0, 1)
        RoutingMethod centroid = Methods.create("centroid");
        centroid.fit(set(List.of(new float[] {1f, 0f}, new float[] {0.8f, 0.6f}, new float[] {0f, 1f}), "a", "a", "b"),
                List.of("a", "b"));

        // when: h = (0.6, 0.8) -> logits 20·0.82219 = 16.4438 and 20·0.8 = 16
        double[] p = centroid.probabilities(new float[] {0.6f, 0.8f});

        // then: p(a) = 1 / (1 + e^(16 − 16.4438))
        assertThat(centroid.name()).isEqualTo("centroid");
        assertThat(p).containsExactly(new double[] {0.6091745571, 0.3908254429}, within(1e-5));
    }

    @Test
    void should_follow_label_order_given_to_fit_when_method_is_centroid() {
        // given: the same data, labels listed b first
        RoutingMethod centroid = Methods.create("centroid");
        centroid.fit(set(List.of(new float[] {1f, 0f}, new float[] {0f, 1f}), "a", "b"), List.of("b", "a"));

        // when
        double[] p = centroid.probabilities(new float[] {1f, 0f});

        // then
        assertThat(p[1]).isGreaterThan(0.99);
        assertThat(p[0]).isLessThan(0.01);
    }

    @Test
    void should_weight_votes_by_similarity_when_method_is_knn() {
        // given: a at (1, 0) and (0.6, 0.8); b at (0, 1)
        RoutingMethod knn = Methods.create("knn");
        knn.fit(set(List.of(new float[] {1f, 0f}, new float[] {0.6f, 0.8f}, new float[] {0f, 1f}), "a", "a", "b"),
                List.of("a", "b"));

        // when: h = (0, 1) -> similarities 0, 0.8, 1 (each weight + 1e-9)
        double[] p = knn.probabilities(new float[] {0f, 1f});

        // then: a = 0.8 / 1.8, b = 1 / 1.8
        assertThat(knn.name()).isEqualTo("knn");
        assertThat(p).containsExactly(new double[] {0.8 / 1.8, 1 / 1.8}, within(1e-6));
    }

    @Test
    void should_let_only_the_ten_nearest_vote_when_method_is_knn() {
        // given: ten b examples at (0, 1) and five a examples at (1, 0)
        List<float[]> vectors = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            vectors.add(new float[] {0f, 1f});
            labels.add("b");
        }
        for (int i = 0; i < 5; i++) {
            vectors.add(new float[] {1f, 0f});
            labels.add("a");
        }
        RoutingMethod knn = Methods.create("knn");
        knn.fit(new TrainingSet(vectors, labels), List.of("a", "b"));

        // when: h = (0.6, 0.8): every b has similarity 0.8, every a 0.6 -> the ten nearest are all b
        double[] p = knn.probabilities(new float[] {0.6f, 0.8f});

        // then: with all fifteen voting, a would get 3 / 11; with ten, it gets nothing
        assertThat(p[0]).isCloseTo(0.0, within(1e-9));
        assertThat(p[1]).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void should_always_choose_most_frequent_training_label_when_method_is_majority() {
        // given: a ×1, b ×3, c ×2
        RoutingMethod majority = Methods.create("majority");
        float[] x = {1f, 0f};
        majority.fit(set(List.of(x, x, x, x, x, x), "a", "b", "b", "c", "b", "c"), List.of("a", "b", "c"));

        // when
        double[] p = majority.probabilities(new float[] {0f, 1f});
        double[] again = majority.probabilities(new float[] {1f, 0f});

        // then
        assertThat(p).containsExactly(0.0, 1.0, 0.0);
        assertThat(again).containsExactly(0.0, 1.0, 0.0);
    }

    @Test
    void should_return_one_hot_over_fitted_labels_when_method_is_random() {
        // given
        RoutingMethod random = Methods.create("random");
        random.fit(set(List.of(new float[] {1f}), "a"), List.of("a", "b", "c"));

        // when
        double[] p = random.probabilities(new float[] {1f});

        // then
        assertThat(p).hasSize(3);
        assertThat(Arrays.stream(p).sum()).isEqualTo(1.0);
        assertThat(Arrays.stream(p).filter(v -> v == 1.0).count()).isEqualTo(1);
    }

    @Test
    void should_train_a_head_that_separates_labels_when_method_is_etr() {
        // given
        RoutingMethod etr = new Methods.Etr(new HeadTrainer(new HeadTrainer.Options(20, 4, 0.05, 0.1, 10f, 3L)));
        etr.fit(set(List.of(new float[] {1f, 0f}, new float[] {0.9f, 0.1f}, new float[] {0f, 1f}, new float[] {0.1f, 0.9f}),
                "a", "a", "b", "b"), List.of("a", "b"));

        // when
        double[] pa = etr.probabilities(new float[] {1f, 0f});
        double[] pb = etr.probabilities(new float[] {0f, 1f});

        // then
        assertThat(etr.name()).isEqualTo("etr");
        assertThat(pa[0] + pa[1]).isCloseTo(1.0, within(1e-12));
        assertThat(pa[0]).isGreaterThan(0.5);
        assertThat(pb[1]).isGreaterThan(0.5);
    }

    @Test
    void should_list_known_methods_when_name_is_unknown() {
        // when / then
        assertThat(Methods.names()).containsExactly("centroid", "etr", "knn", "majority", "random");
        assertThatThrownBy(() -> Methods.create("nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--methods: unknown method \"nope\" (known: centroid, etr, knn, majority, random)");
    }

    @Test
    void should_create_a_fresh_instance_when_called_twice() {
        // when
        RoutingMethod first = Methods.create("knn");
        RoutingMethod second = Methods.create("knn");

        // then
        assertThat(first).isNotSameAs(second);
    }
}
