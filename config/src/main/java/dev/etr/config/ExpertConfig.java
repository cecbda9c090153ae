package dev.etr.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One expert: a backend plus the example requests its expert token is trained from.
 *
 * @param name         the expert's id, also the client-visible {@code model}; matches {@link #NAME_PATTERN}
 * @param examples     example requests, inline
 * @param examplesFile JSON Lines file whose lines carry {@code text} (see {@link ExamplesFile}); may be used
 *                     with or instead of {@code examples}. The loader makes relative paths absolute
 *                     (against the config file's directory).
 * @param systemPrompt prepended as a system message to every request this expert serves (optional)
 */
public record ExpertConfig(
        String name, String description, BackendConfig backend,
        List<String> examples, String examplesFile, String systemPrompt) {

    /** Names are used in URLs, headers and metric labels, hence the conservative alphabet. */
    public static final Pattern NAME_PATTERN = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    /** {@code model} values with a fixed meaning in the API, so no expert may take them. */
    public static final Set<String> RESERVED_NAMES = Set.of("auto", "generalist");

    public ExpertConfig {
        examples = Checks.copyWithoutNulls(examples, "examples");
    }

    /** The inline examples followed by those read from {@code examplesFile} (read on each call). */
    public List<String> allExamples() {
        return examplesFile == null ? examples : Checks.concat(examples, ExamplesFile.read(Path.of(examplesFile)));
    }

    /** Shows the number of examples rather than all of them. */
    @Override
    public String toString() {
        return "ExpertConfig[name=" + name + ", description=" + description + ", backend=" + backend
                + ", examples=" + Checks.count(examples) + ", examplesFile=" + examplesFile
                + ", systemPrompt=" + systemPrompt + "]";
    }
}
