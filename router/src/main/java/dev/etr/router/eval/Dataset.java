package dev.etr.router.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Labelled requests read from JSON Lines ({@code {"text": ..., "label": ...}} per line; other fields ignored).
 *
 * <p>A malformed line does not abort the load: it is skipped and reported in {@link #problems()} with the file,
 * the line number and what is wrong, so one bad line never costs the rest of a report.
 */
public record Dataset(List<LabelledText> examples, List<String> problems) {

    // Trailing tokens fail: `{...} junk` or two objects on one line is a malformed line, not a silent half-read.
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public Dataset {
        examples = List.copyOf(examples);
        problems = List.copyOf(problems);
    }

    /** @throws UncheckedIOException when the file cannot be read at all */
    public static Dataset read(Path file) {
        List<LabelledText> examples = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String problem = parse(line, examples);
                if (problem != null) {
                    problems.add(file + ":" + number + ": " + problem);
                }
            }
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException(file + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot be read: " + e.getMessage(), e);
        }
        return new Dataset(examples, problems);
    }

    /** Adds the line's example, or returns what is wrong with it. */
    private static String parse(String line, List<LabelledText> into) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return "not valid JSON (" + e.getOriginalMessage() + ")";
        }
        if (node == null || !node.isObject()) {
            return "expected a JSON object, found " + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase());
        }
        String text = field(node, "text");
        if (text == null) {
            return "\"text\" is missing or not a non-empty string";
        }
        String label = field(node, "label");
        if (label == null) {
            return "\"label\" is missing or not a non-empty string";
        }
        into.add(new LabelledText(text, label));
        return null;
    }

    private static String field(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    public int size() {
        return examples.size();
    }

    /** Distinct labels, sorted. */
    public List<String> labels() {
        return examples.stream().map(LabelledText::label).distinct().sorted().toList();
    }
}
