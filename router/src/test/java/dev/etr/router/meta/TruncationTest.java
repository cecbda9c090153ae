package dev.etr.router.meta;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TruncationTest {

    @Test
    void should_leave_text_untouched_when_at_or_below_the_limit() {
        // given
        Truncation truncation = new Truncation(16);
        String exactly = "0123456789abcdef";
        String shorter = "short";

        // when / then
        assertThat(truncation.apply(exactly)).isSameAs(exactly);
        assertThat(truncation.apply(shorter)).isSameAs(shorter);
        assertThat(truncation.apply("")).isEmpty();
    }

    @Test
    void should_keep_head_and_tail_around_ellipsis_when_longer() {
        // given: 16 chars = 3 for " … " + 13 of budget -> head 13·3/4 = 9, tail 4
        Truncation truncation = new Truncation(16);

        // when
        String cut = truncation.apply("abcdefghijklmnopqrstuvwxyz");

        // then
        assertThat(cut).isEqualTo("abcdefghi … wxyz");
        assertThat(cut).hasSize(16);
    }

    @Test
    void should_cut_to_exactly_max_chars_when_input_is_huge() {
        // given: 200,000 characters, head of 'h', middle of 'm', tail of 't'
        String huge = "h".repeat(100_000) + "m".repeat(50_000) + "t".repeat(50_000);
        Truncation truncation = Truncation.defaults();

        // when
        String cut = truncation.apply(huge);

        // then: budget 2045 -> head 1533, tail 512
        assertThat(truncation.maxChars()).isEqualTo(2048);
        assertThat(cut).hasSize(2048);
        assertThat(cut).isEqualTo("h".repeat(1533) + " … " + "t".repeat(512));
        assertThat(cut).doesNotContain("m");
    }

    @Test
    void should_reject_max_chars_when_below_sixteen() {
        // when / then
        assertThatThrownBy(() -> new Truncation(15))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxChars: 15 is below the minimum of 16");
        assertThat(new Truncation(16).maxChars()).isEqualTo(16);
    }
}
