package dev.etr.router;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConversationRendererTest {

    private static ChatTurn system(String text) {
        return new ChatTurn("system", text);
    }

    private static ChatTurn assistant(String text) {
        return new ChatTurn("assistant", text);
    }

    @Test
    void should_put_last_user_turn_first_then_earlier_ones_newest_first() {
        // given
        List<ChatTurn> conversation = List.of(
                system("You are helpful."),
                ChatTurn.user("u1"),
                assistant("a1"),
                ChatTurn.user("u2"),
                assistant("a2"),
                ChatTurn.user("u3"));

        // when
        String text = new ConversationRenderer(5).render(conversation);

        // then
        assertThat(text).isEqualTo("u3\n\nu2\n\nu1");
    }

    @Test
    void should_take_at_most_history_turns_earlier_user_turns() {
        // given
        List<ChatTurn> conversation = List.of(
                ChatTurn.user("u1"), ChatTurn.user("u2"), ChatTurn.user("u3"), ChatTurn.user("u4"));

        // when
        String text = new ConversationRenderer(2).render(conversation);

        // then
        assertThat(text).isEqualTo("u4\n\nu3\n\nu2");
    }

    @Test
    void should_render_only_the_last_user_turn_when_history_turns_is_zero() {
        // given
        List<ChatTurn> conversation = List.of(ChatTurn.user("old question"), assistant("answer"), ChatTurn.user("new question"));

        // when
        String text = new ConversationRenderer(0).render(conversation);

        // then
        assertThat(text).isEqualTo("new question");
    }

    @Test
    void should_ignore_system_assistant_and_blank_user_turns_when_user_spoke() {
        // given
        List<ChatTurn> conversation = List.of(
                system("SYSTEM PROMPT"),
                ChatTurn.user("real question"),
                assistant("ASSISTANT TEXT"),
                ChatTurn.user("   "),
                new ChatTurn("tool", "TOOL OUTPUT"));

        // when
        String text = new ConversationRenderer(3).render(conversation);

        // then
        assertThat(text).isEqualTo("real question");
    }

    @Test
    void should_join_other_text_when_there_is_no_user_turn() {
        // given
        List<ChatTurn> conversation = List.of(system("Be terse."), assistant(" "), assistant("Hello there"));

        // when
        String text = new ConversationRenderer(2).render(conversation);

        // then
        assertThat(text).isEqualTo("Be terse.\n\nHello there");
    }

    @Test
    void should_treat_null_role_and_content_as_empty() {
        // given
        ChatTurn turn = new ChatTurn(null, null);

        // when
        String text = new ConversationRenderer(1).render(List.of(turn, ChatTurn.user("q")));

        // then
        assertThat(turn.role()).isEmpty();
        assertThat(turn.content()).isEmpty();
        assertThat(text).isEqualTo("q");
    }

    @Test
    void should_reject_negative_history_turns() {
        // when / then
        assertThatThrownBy(() -> new ConversationRenderer(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("historyTurns: -1 is negative");
    }
}
