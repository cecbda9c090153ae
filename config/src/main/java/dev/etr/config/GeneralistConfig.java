package dev.etr.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The generalist: answers when no expert fits.
 *
 * @param examples     general-purpose requests the generalist token is trained from (the router's built-in set when
 *                     both this and {@code examplesFile} are empty)
 * @param examplesFile JSON Lines file of further examples, see {@link ExpertConfig#examplesFile()}
 */
public record GeneralistConfig(BackendConfig backend, List<String> examples, String examplesFile, String systemPrompt) {

    public GeneralistConfig {
        examples = Checks.copyWithoutNulls(examples, "examples");
    }

    /** The inline examples followed by those read from {@code examplesFile} (read on each call). */
    public List<String> allExamples() {
        return examplesFile == null ? examples : Checks.concat(examples, ExamplesFile.read(Path.of(examplesFile)));
    }

    @Override
    public String toString() {
        return "GeneralistConfig[backend=" + backend + ", examples=" + Checks.count(examples)
                + ", examplesFile=" + examplesFile + ", systemPrompt=" + systemPrompt + "]";
    }
}
