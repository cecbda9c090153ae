package dev.etr.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExamplesFileTest {

    @Test
    void should_read_texts_in_order_when_lines_are_valid(@TempDir Path dir) throws Exception {
        // given
        Path file = Files.writeString(dir.resolve("x.jsonl"), """
                \uFEFF{"text": "first", "label": "math"}

                {"id": 7, "text": "second \\"quoted\\""}
                   \t
                {"text": "third"}""");

        // when
        List<String> texts = ExamplesFile.read(file);

        // then
        assertThat(texts).containsExactly("first", "second \"quoted\"", "third");
    }

    @Test
    void should_name_file_and_line_when_lines_are_malformed(@TempDir Path dir) throws Exception {
        // given
        Path file = Files.writeString(dir.resolve("bad.jsonl"), """
                {"text": "fine"}
                {"text": "unterminated}
                ["text"]

                {"label": "math"}
                {"text": 42}
                {"text": "  "}
                {"text": "a"} {"text": "b"}
                """);

        // when
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ExamplesFile.read(file));

        // then
        assertThat(e.errors()).hasSize(6);
        assertThat(e.errors().get(0)).startsWith(file + ":2: invalid JSON (Unexpected end-of-input");
        assertThat(e.errors().subList(1, 5)).containsExactly(
                file + ":3: expected a JSON object like {\"text\": \"...\"}",
                file + ":5: missing \"text\"",
                file + ":6: \"text\" must be a string, got 42",
                file + ":7: \"text\" is blank");
        assertThat(e.errors().get(5)).startsWith(file + ":8: invalid JSON (Trailing token");
    }

    @Test
    void should_say_so_when_file_is_missing(@TempDir Path dir) {
        // given
        Path file = dir.resolve("none.jsonl");

        // when / then
        assertThatThrownBy(() -> ExamplesFile.read(file)).isInstanceOf(ConfigException.class).hasMessage(file + ": no such file");
    }

    @Test
    void should_name_given_source_when_reading_a_stream() {
        // given
        byte[] content = "{\"text\": \"ok\"}\nnot json\n".getBytes(StandardCharsets.UTF_8);

        // when
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ExamplesFile.read(new ByteArrayInputStream(content), "classpath:demo.jsonl"));

        // then
        assertThat(e.errors()).singleElement().asString().startsWith("classpath:demo.jsonl:2: invalid JSON (");
    }
}
