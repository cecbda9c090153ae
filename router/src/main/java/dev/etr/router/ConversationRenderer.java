package dev.etr.router;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a conversation as the text the meta-model reads: the last user turn, then up to {@code historyTurns}
 * earlier user turns, newest first. The last turn comes first so that, when a long conversation is truncated, the
 * part cut is old history. System prompts are left out: they are usually the same boilerplate on every request and
 * say nothing about which expert should answer; assistant turns likewise echo the model rather than the need.
 */
public record ConversationRenderer(int historyTurns) {

    public ConversationRenderer {
        if (historyTurns < 0) {
            throw new IllegalArgumentException("historyTurns: " + historyTurns + " is negative");
        }
    }

    public String render(List<ChatTurn> conversation) {
        List<String> userTurns = new ArrayList<>();
        for (ChatTurn turn : conversation) {
            if ("user".equals(turn.role()) && !turn.content().isBlank()) {
                userTurns.add(turn.content());
            }
        }
        if (userTurns.isEmpty()) {
            // Nothing from the user (a system-only or assistant-prefill request): read whatever text there is.
            return String.join("\n\n", conversation.stream().map(ChatTurn::content).filter(c -> !c.isBlank()).toList());
        }
        StringBuilder text = new StringBuilder(userTurns.get(userTurns.size() - 1));
        for (int i = userTurns.size() - 2, taken = 0; i >= 0 && taken < historyTurns; i--, taken++) {
            text.append("\n\n").append(userTurns.get(i));
        }
        return text.toString();
    }
}
