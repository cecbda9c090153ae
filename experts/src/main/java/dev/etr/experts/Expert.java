package dev.etr.experts;

import java.util.Objects;

/**
 * Someone who can answer: an expert, or the generalist.
 *
 * @param systemPrompt prepended as a system message to every request this expert serves; null for none
 */
public record Expert(String name, String description, String systemPrompt, ExpertBackend backend) {

    public Expert {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(backend, "backend");
    }

    /** The request as this expert's backend should receive it. */
    ChatRequest prepare(ChatRequest request) {
        return systemPrompt == null || systemPrompt.isBlank() ? request : request.withSystemPrompt(systemPrompt);
    }
}
