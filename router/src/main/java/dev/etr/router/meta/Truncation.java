package dev.etr.router.meta;

/**
 * The documented rule that keeps any input inside the encoder's window, so routing never fails on length.
 *
 * <p>A text longer than {@code maxChars} keeps its first three quarters' worth of budget and its last quarter,
 * joined by an ellipsis: the opening of a request usually names the task, its end holds the actual question.
 * Characters, not tokens, so the rule costs nothing on 50k-token prompts; the encoder's own tokenizer then
 * cuts whatever still exceeds its window.
 */
public record Truncation(int maxChars) {

    /** About 512 English word-piece tokens: bge-small's window. */
    public static final int DEFAULT_MAX_CHARS = 2048;

    static final String ELLIPSIS = " … ";

    public Truncation {
        if (maxChars < 16) {
            throw new IllegalArgumentException("maxChars: " + maxChars + " is below the minimum of 16");
        }
    }

    public static Truncation defaults() {
        return new Truncation(DEFAULT_MAX_CHARS);
    }

    public String apply(String text) {
        if (text.length() <= maxChars) {
            return text;
        }
        int budget = maxChars - ELLIPSIS.length();
        int head = budget * 3 / 4;
        int tail = budget - head;
        return text.substring(0, head) + ELLIPSIS + text.substring(text.length() - tail);
    }
}
