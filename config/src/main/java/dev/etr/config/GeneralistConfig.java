package dev.etr.config;

import java.util.List;

/**
 * The generalist: answers when no expert fits.
 *
 * @param examples general-purpose requests the generalist token is trained from (built-in set when empty)
 */
public record GeneralistConfig(BackendConfig backend, List<String> examples, String examplesFile, String systemPrompt) {

    public GeneralistConfig {
        examples = examples == null ? List.of() : List.copyOf(examples);
    }
}
