package dev.etr.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads example requests from JSON Lines: one object per line with a string {@code text}; other
 * fields (such as {@code label}) are ignored and blank lines skipped.
 *
 * <pre>{@code {"text": "How far away is the Andromeda galaxy?", "label": "astronomy"}}</pre>
 *
 * Errors name the file and line, compiler style: {@code examples.jsonl:3: missing "text"}; every bad
 * line is reported, not only the first.
 */
public final class ExamplesFile {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ExamplesFile() {
    }

    /** @throws ConfigException if the file cannot be read or any line is malformed */
    public static List<String> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(file + ": no such file"));
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read (" + e + ")"));
        }
    }

    /**
     * Reads from a stream (e.g. a classpath resource), which the caller closes.
     *
     * @param source names the input in error messages
     */
    public static List<String> read(InputStream in, String source) {
        List<String> texts = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int lineNumber = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1); // editors on Windows like to add a byte-order mark
                }
                if (line.isBlank()) {
                    continue;
                }
                String problem = parseLine(line, texts);
                if (problem != null) {
                    errors.add(source + ":" + lineNumber + ": " + problem);
                }
            }
        } catch (IOException e) {
            throw new ConfigException(List.of(source + ": cannot read (" + e + ")"));
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return List.copyOf(texts);
    }

    /** Adds the line's text to {@code texts}, or returns what is wrong with the line. */
    private static String parseLine(String line, List<String> texts) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return "invalid JSON (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")";
        }
        if (!node.isObject()) {
            return "expected a JSON object like {\"text\": \"...\"}";
        }
        JsonNode text = node.get("text");
        if (text == null || text.isNull()) {
            return "missing \"text\"";
        }
        if (!text.isTextual()) {
            return "\"text\" must be a string, got " + text;
        }
        if (text.asText().isBlank()) {
            return "\"text\" is blank";
        }
        texts.add(text.asText());
        return null;
    }
}
