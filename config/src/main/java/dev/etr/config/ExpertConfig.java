package dev.etr.config;

import java.util.List;

/**
 * One expert: a backend plus the example requests its expert token is trained from.
 *
 * @param examples     example requests, inline
 * @param examplesFile JSON Lines file whose lines carry {@code text}; alternative to {@code examples}
 * @param systemPrompt prepended as a system message to every request this expert serves (optional)
 */
public record ExpertConfig(
        String name, String description, BackendConfig backend,
        List<String> examples, String examplesFile, String systemPrompt) {

    public ExpertConfig {
        examples = examples == null ? List.of() : List.copyOf(examples);
    }
}
