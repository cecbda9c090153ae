package dev.etr.router.eval;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SplitTest {

    private static List<LabelledText> examples(Map<String, Integer> counts) {
        List<LabelledText> out = new ArrayList<>();
        counts.forEach((label, n) -> {
            for (int i = 0; i < n; i++) {
                out.add(new LabelledText(label + "-" + i, label));
            }
        });
        return out;
    }

    private static Map<String, Long> countByLabel(List<LabelledText> side) {
        return side.stream().collect(Collectors.groupingBy(LabelledText::label, Collectors.counting()));
    }

    @Test
    void should_split_each_label_by_rounded_fraction_when_stratifying() {
        // given: a 10, b 5, c 2, d 1
        List<LabelledText> data = examples(Map.of("a", 10, "b", 5, "c", 2, "d", 1));

        // when
        Split split = Split.stratified(data, 0.7, 42);

        // then: a round(7) = 7, b round(3.5) = 4, c round(1.4) = 1, d round(0.7) = 1 (one example: train only)
        assertThat(countByLabel(split.train())).containsExactlyInAnyOrderEntriesOf(Map.of("a", 7L, "b", 4L, "c", 1L, "d", 1L));
        assertThat(countByLabel(split.test())).containsExactlyInAnyOrderEntriesOf(Map.of("a", 3L, "b", 1L, "c", 1L));
        // a partition: nothing lost, nothing duplicated
        List<LabelledText> all = new ArrayList<>(split.train());
        all.addAll(split.test());
        assertThat(all).containsExactlyInAnyOrderElementsOf(data);
    }

    @Test
    void should_keep_every_label_on_both_sides_when_it_has_two_or_more_examples() {
        // given: fractions that would round to 0 or to everything
        List<LabelledText> data = examples(Map.of("a", 2, "b", 3, "c", 20));

        // when
        Split low = Split.stratified(data, 0.05, 1);
        Split high = Split.stratified(data, 0.95, 1);

        // then
        for (Split split : List.of(low, high)) {
            assertThat(countByLabel(split.train())).containsOnlyKeys("a", "b", "c");
            assertThat(countByLabel(split.test())).containsOnlyKeys("a", "b", "c");
        }
        assertThat(countByLabel(low.train())).containsEntry("a", 1L).containsEntry("b", 1L).containsEntry("c", 1L);
        assertThat(countByLabel(high.test())).containsEntry("a", 1L).containsEntry("b", 1L).containsEntry("c", 1L);
    }

    @Test
    void should_give_the_same_split_when_seed_is_the_same() {
        // given
        List<LabelledText> data = examples(Map.of("a", 50, "b", 50));

        // when
        Split first = Split.stratified(data, 0.5, 7);
        Split second = Split.stratified(data, 0.5, 7);

        // then
        assertThat(first.train()).containsExactlyElementsOf(second.train());
        assertThat(first.test()).containsExactlyElementsOf(second.test());
    }

    @Test
    void should_give_a_different_split_when_seed_differs() {
        // given: 100 examples per label: C(100, 50) ways to choose each side
        List<LabelledText> data = examples(Map.of("a", 100, "b", 100));

        // when
        Split first = Split.stratified(data, 0.5, 7);
        Split second = Split.stratified(data, 0.5, 8);

        // then: different members, same sizes
        assertThat(new HashSet<>(first.train())).isNotEqualTo(new HashSet<>(second.train()));
        assertThat(first.train()).hasSameSizeAs(second.train());
    }

    @Test
    void should_reject_fraction_when_not_strictly_between_zero_and_one() {
        // given
        List<LabelledText> data = examples(Map.of("a", 4));

        // when / then
        assertThatThrownBy(() -> Split.stratified(data, 1.0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--split: 1.0 is not strictly between 0 and 1");
        assertThatThrownBy(() -> Split.stratified(data, 0.0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--split: 0.0 is not strictly between 0 and 1");
        assertThatThrownBy(() -> Split.stratified(data, Double.NaN, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--split: NaN is not strictly between 0 and 1");
    }
}
