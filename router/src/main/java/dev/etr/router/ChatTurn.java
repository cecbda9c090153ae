package dev.etr.router;

/** One message of a conversation as the meta-model reads it: role ({@code system}, {@code user}, …) and its text. */
public record ChatTurn(String role, String content) {

    public ChatTurn {
        role = role == null ? "" : role;
        content = content == null ? "" : content;
    }

    public static ChatTurn user(String content) {
        return new ChatTurn("user", content);
    }
}
