package dev.etr.router.head;

import dev.etr.router.ExpertProbability;
import dev.etr.router.RoutingDecision;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ExpertHeadTest {

    private static final String G = RoutingDecision.GENERALIST;

    /** a = (1, 0), b = (0, 1), generalist = (0, 0); biases 0, 0, 0.5. */
    private static ExpertHead threeTokens(float scale, double threshold) {
        return ExpertHead.of(List.of("a", "b", G),
                List.of(new float[] {1, 0}, new float[] {0, 1}, new float[] {0, 0}),
                new float[] {0f, 0f, 0.5f}, scale, threshold);
    }

    @Test
    void should_follow_scaled_softmax_when_computing_probabilities() {
        // given: scale 2, h = (1, 0.5) -> logits 2·1+0 = 2, 2·0.5+0 = 1, 0+0.5 = 0.5
        ExpertHead head = threeTokens(2f, 0.0);

        // when
        double[] p = head.probabilities(new float[] {1f, 0.5f});

        // then: softmax(2, 1, 0.5) computed by hand: e^2, e^1, e^0.5 over their sum 11.756059...
        assertThat(p).containsExactly(new double[] {0.6285317192, 0.2312238976, 0.1402443832}, within(1e-6));
        assertThat(Arrays.stream(p).sum()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void should_sum_to_one_when_logits_are_large() {
        // given: a big scale that would overflow a naive exp
        ExpertHead head = threeTokens(500f, 0.0);

        // when
        double[] p = head.probabilities(new float[] {1f, 0.9f});

        // then
        assertThat(Arrays.stream(p).sum()).isCloseTo(1.0, within(1e-12));
        assertThat(p[0]).isCloseTo(1.0, within(1e-9));
        assertThat(head.predict(new float[] {1f, 0.9f})).isEqualTo(0);
    }

    @Test
    void should_rank_tokens_best_first_when_deciding() {
        // given
        ExpertHead head = threeTokens(2f, 0.0);

        // when: probabilities 0.63 (a), 0.23 (b), 0.14 (generalist); favour b instead with h = (0.5, 1)
        RoutingDecision decision = head.decide(new float[] {0.5f, 1f}, 123L);

        // then
        assertThat(decision.expert()).isEqualTo("b");
        assertThat(decision.abstained()).isFalse();
        assertThat(decision.confidence()).isCloseTo(0.6285317192, within(1e-6));
        assertThat(decision.routeNanos()).isEqualTo(123L);
        assertThat(decision.probabilities()).extracting(ExpertProbability::expert).containsExactly("b", "a", G);
        double[] ranked = decision.probabilities().stream().mapToDouble(ExpertProbability::p).toArray();
        assertThat(ranked).containsExactly(new double[] {0.6285317192, 0.2312238976, 0.1402443832}, within(1e-6));
    }

    @Test
    void should_abstain_to_generalist_when_best_expert_is_under_threshold() {
        // given: scale 1, biases 0 -> h = (0.6, 0.4) gives logits 0.6, 0.4, 0 -> p(a) = 0.4224
        ExpertHead head = ExpertHead.of(List.of("a", "b", G),
                List.of(new float[] {1, 0}, new float[] {0, 1}, new float[] {0, 0}),
                new float[3], 1f, 0.5);

        // when
        RoutingDecision decision = head.decide(new float[] {0.6f, 0.4f}, 0L);

        // then
        assertThat(decision.expert()).isEqualTo(G);
        assertThat(decision.abstained()).isTrue();
        assertThat(decision.toGeneralist()).isTrue();
        assertThat(decision.confidence()).isCloseTo(0.4223789211, within(1e-6));
        assertThat(decision.probabilities().get(0).expert()).isEqualTo("a");
    }

    @Test
    void should_not_abstain_when_best_expert_reaches_threshold() {
        // given: the same head with threshold 0.4 < p(a) = 0.4224
        ExpertHead head = ExpertHead.of(List.of("a", "b", G),
                List.of(new float[] {1, 0}, new float[] {0, 1}, new float[] {0, 0}),
                new float[3], 1f, 0.4);

        // when
        RoutingDecision decision = head.decide(new float[] {0.6f, 0.4f}, 0L);

        // then
        assertThat(decision.expert()).isEqualTo("a");
        assertThat(decision.abstained()).isFalse();
    }

    @Test
    void should_not_mark_abstained_when_generalist_itself_wins() {
        // given: the generalist has a large bias, and the threshold is the maximum
        ExpertHead head = ExpertHead.of(List.of("a", "b", G),
                List.of(new float[] {1, 0}, new float[] {0, 1}, new float[] {0, 0}),
                new float[] {0f, 0f, 3f}, 1f, 1.0);

        // when
        RoutingDecision decision = head.decide(new float[] {0.6f, 0.4f}, 0L);

        // then: logits 0.6, 0.4, 3 -> the generalist wins outright, with p < 1 = threshold
        assertThat(decision.expert()).isEqualTo(G);
        assertThat(decision.abstained()).isFalse();
        assertThat(decision.confidence()).isLessThan(1.0).isGreaterThan(0.8);
    }

    @Test
    void should_append_token_and_leave_other_rows_bit_identical_when_token_is_new() {
        // given
        ExpertHead head = ExpertHead.of(List.of("a", "b"),
                List.of(new float[] {0.1f, -0.3f}, new float[] {Float.MIN_VALUE, -0f}),
                new float[] {0.25f, -1.5f}, 3f, 0.2);

        // when
        ExpertHead bigger = head.withToken("c", new float[] {7f, 8f}, 0.75f);

        // then
        assertThat(bigger.tokens()).containsExactly("a", "b", "c");
        assertThat(bigger.indexOf("c")).isEqualTo(2);
        assertThat(bigger.row(2)).containsExactly(7f, 8f);
        assertThat(bigger.bias(2)).isEqualTo(0.75f);
        assertRowsAndBiasesBitIdentical(head, bigger, "a", "b");
        assertThat(bigger.scale()).isEqualTo(3f);
        assertThat(bigger.threshold()).isEqualTo(0.2);
        // and the original snapshot is untouched
        assertThat(head.tokens()).containsExactly("a", "b");
    }

    @Test
    void should_replace_row_in_place_when_token_exists() {
        // given
        ExpertHead head = ExpertHead.of(List.of("a", "b", "c"),
                List.of(new float[] {0.1f, 0.2f}, new float[] {0.3f, 0.4f}, new float[] {0.5f, 0.6f}),
                new float[] {1f, 2f, 3f}, 1f, 0.0);

        // when
        ExpertHead replaced = head.withToken("b", new float[] {-9f, 9f}, -2f);

        // then
        assertThat(replaced.tokens()).containsExactly("a", "b", "c");
        assertThat(replaced.row(1)).containsExactly(-9f, 9f);
        assertThat(replaced.bias(1)).isEqualTo(-2f);
        assertRowsAndBiasesBitIdentical(head, replaced, "a", "c");
        assertThat(head.row(1)).containsExactly(0.3f, 0.4f);
        assertThat(head.bias(1)).isEqualTo(2f);
    }

    @Test
    void should_remove_token_and_keep_others_when_token_present() {
        // given
        ExpertHead head = ExpertHead.of(List.of("a", "b", "c"),
                List.of(new float[] {0.1f, 0.2f}, new float[] {0.3f, 0.4f}, new float[] {0.5f, 0.6f}),
                new float[] {1f, 2f, 3f}, 1f, 0.0);

        // when
        ExpertHead smaller = head.withoutToken("b");

        // then
        assertThat(smaller.tokens()).containsExactly("a", "c");
        assertThat(smaller.indexOf("b")).isEqualTo(-1);
        assertThat(smaller.indexOf("c")).isEqualTo(1);
        assertRowsAndBiasesBitIdentical(head, smaller, "a", "c");
    }

    @Test
    void should_reject_removal_when_token_absent_or_last() {
        // given
        ExpertHead head = ExpertHead.of(List.of("a"), List.of(new float[] {1f}), new float[1], 1f, 0.0);

        // when / then
        assertThatThrownBy(() -> head.withoutToken("zz"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("token: \"zz\" is not in the head");
        assertThatThrownBy(() -> head.withoutToken("a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("token: \"a\" is the head's last token");
    }

    @Test
    void should_reject_with_verbatim_messages_when_inputs_are_invalid() {
        // given
        List<float[]> rows = List.of(new float[] {1f, 0f}, new float[] {0f, 1f});
        ExpertHead head = ExpertHead.of(List.of("a", "b"), rows, new float[2], 1f, 0.0);

        // when / then
        assertThatThrownBy(() -> ExpertHead.of(List.of("a", "b"), List.of(new float[] {1f, 0f}, new float[] {1f}), new float[2], 1f, 0.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("rows[1]: dimension 1, expected 2");
        assertThatThrownBy(() -> ExpertHead.of(List.of("a", "a"), rows, new float[2], 1f, 0.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("tokens: \"a\" appears twice");
        assertThatThrownBy(() -> ExpertHead.of(List.of("a", "b"), rows, new float[2], 1f, 1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("threshold: 1.5 is not in [0, 1]");
        assertThatThrownBy(() -> ExpertHead.of(List.of("a", "b"), rows, new float[2], 1f, -0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("threshold: -0.1 is not in [0, 1]");
        assertThatThrownBy(() -> ExpertHead.of(List.of("a", "b"), rows, new float[2], 1f, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("threshold: NaN is not in [0, 1]");
        assertThatThrownBy(() -> head.withThreshold(2.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("threshold: 2.0 is not in [0, 1]");
        assertThatThrownBy(() -> ExpertHead.of(List.of("a", "b"), rows, new float[2], 0f, 0.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("scale: 0.0 is not positive");
        assertThatThrownBy(() -> ExpertHead.of(List.of("a", "b", "c"), rows, new float[2], 1f, 0.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("tokens, rows and biases differ in length: 3, 2, 2");
        assertThatThrownBy(() -> ExpertHead.of(List.of(), List.of(), new float[0], 1f, 0.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("tokens: a head needs at least one token");
        assertThatThrownBy(() -> head.probabilities(new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("h has dimension 3, the head expects 2");
        assertThatThrownBy(() -> head.withToken("c", new float[3], 0f))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("row has dimension 3, the head expects 2");
    }

    @Test
    void should_not_be_affected_when_caller_mutates_input_arrays() {
        // given
        float[] row = {1f, 2f};
        float[] biases = {0.5f};
        ExpertHead head = ExpertHead.of(List.of("a"), List.of(row), biases, 1f, 0.0);

        // when
        row[0] = 99f;
        biases[0] = 99f;
        head.row(0)[1] = 99f;

        // then
        assertThat(head.row(0)).containsExactly(1f, 2f);
        assertThat(head.bias(0)).isEqualTo(0.5f);
    }

    private static void assertRowsAndBiasesBitIdentical(ExpertHead before, ExpertHead after, String... tokens) {
        for (String token : tokens) {
            int i = before.indexOf(token);
            int j = after.indexOf(token);
            assertThat(Arrays.equals(before.row(i), after.row(j))).as("row of %s", token).isTrue();
            assertThat(Float.floatToRawIntBits(after.bias(j))).as("bias of %s", token)
                    .isEqualTo(Float.floatToRawIntBits(before.bias(i)));
        }
    }
}
