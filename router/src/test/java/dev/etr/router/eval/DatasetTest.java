package dev.etr.router.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetTest {

    @TempDir
    Path dir;

    @Test
    void should_keep_valid_lines_and_report_malformed_ones_when_reading_jsonl() throws IOException {
        // given
        Path file = dir.resolve("data.jsonl");
        Files.writeString(file, String.join("\n",
                "{\"text\":\"What is 2+2?\",\"label\":\"math\"}",          // 1 ok
                "this is not json",                                       // 2
                "",                                                       // 3 blank: ignored
                "[1, 2]",                                                 // 4
                "{\"label\":\"math\"}",                                   // 5
                "{\"text\":\"   \",\"label\":\"math\"}",                   // 6
                "{\"text\":\"hi\"}",                                      // 7
                "{\"text\":\"hi\",\"label\":3}",                          // 8
                "   \t",                                                  // 9 whitespace only: ignored
                "{\"text\":\"Fix my NPE\",\"label\":\"code\",\"id\":7}",  // 10 ok, extra field ignored
                "\"a string\"",                                           // 11
                "{\"text\":\"hi\",\"label\":\"\"}",                       // 12
                "{\"text\":[\"hi\"],\"label\":\"x\"}",                    // 13
                "") + "\n", StandardCharsets.UTF_8);

        // when
        Dataset dataset = Dataset.read(file);

        // then
        assertThat(dataset.examples()).containsExactly(
                new LabelledText("What is 2+2?", "math"),
                new LabelledText("Fix my NPE", "code"));
        assertThat(dataset.size()).isEqualTo(2);
        assertThat(dataset.labels()).containsExactly("code", "math");
        assertThat(dataset.problems()).hasSize(9);
        assertThat(dataset.problems().get(0)).startsWith(file + ":2: not valid JSON (").endsWith(")");
        assertThat(dataset.problems().subList(1, 9)).containsExactly(
                file + ":4: expected a JSON object, found array",
                file + ":5: \"text\" is missing or not a non-empty string",
                file + ":6: \"text\" is missing or not a non-empty string",
                file + ":7: \"label\" is missing or not a non-empty string",
                file + ":8: \"label\" is missing or not a non-empty string",
                file + ":11: expected a JSON object, found string",
                file + ":12: \"label\" is missing or not a non-empty string",
                file + ":13: \"text\" is missing or not a non-empty string");
    }

    @Test
    void should_report_a_line_when_json_is_followed_by_more_text() throws IOException {
        // given
        Path file = dir.resolve("trailing.jsonl");
        Files.writeString(file, String.join("\n",
                "{\"text\":\"a\",\"label\":\"b\"} junk",
                "{\"text\":\"c\",\"label\":\"d\"}{\"text\":\"e\",\"label\":\"f\"}",
                "{\"text\":\"g\",\"label\":\"h\"}"), StandardCharsets.UTF_8);

        // when
        Dataset dataset = Dataset.read(file);

        // then
        assertThat(dataset.examples()).containsExactly(new LabelledText("g", "h"));
        assertThat(dataset.problems()).hasSize(2);
        assertThat(dataset.problems().get(0)).startsWith(file + ":1: not valid JSON");
        assertThat(dataset.problems().get(1)).startsWith(file + ":2: not valid JSON");
    }

    @Test
    void should_read_an_empty_file_as_an_empty_dataset() throws IOException {
        // given
        Path file = dir.resolve("empty.jsonl");
        Files.writeString(file, "\n\n");

        // when
        Dataset dataset = Dataset.read(file);

        // then
        assertThat(dataset.examples()).isEmpty();
        assertThat(dataset.problems()).isEmpty();
        assertThat(dataset.labels()).isEmpty();
    }

    @Test
    void should_throw_unchecked_io_when_file_is_missing() {
        // given
        Path missing = dir.resolve("nope.jsonl");

        // when / then
        assertThatThrownBy(() -> Dataset.read(missing))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage(missing + ": no such file");
    }
}
