package dev.etr.router;

import dev.etr.config.ExamplesFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The built-in general-purpose requests (small talk, cooking, travel, writing help, …) that the generalist token is
 * trained from when the configuration gives none.
 */
public final class GeneralistExamples {

    private static final String RESOURCE = "/dev/etr/router/generalist.jsonl";

    private GeneralistExamples() {
    }

    public static List<String> builtIn() {
        try (InputStream in = GeneralistExamples.class.getResourceAsStream(RESOURCE)) {
            return ExamplesFile.read(in, RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("built-in generalist examples cannot be read", e);
        }
    }
}
