package dev.etr.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"500ms,PT0.5S", "2s,PT2S", "1m,PT1M", "3h,PT3H", "0s,PT0S", "PT2S,PT2S", "PT1M30S,PT1M30S", "' 45s ',PT45S"})
    void should_parse_short_and_iso_forms_when_text_is_valid(String text, String iso) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "2 s", "1.5s", "-1s", "2sec", "", "s"})
    void should_name_text_when_duration_is_malformed(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + text + "\" is not a duration (use 500ms, 2s, 1m, 1h or ISO-8601 like PT2S)");
    }

    @ParameterizedTest
    @CsvSource({"PT0.5S,500ms", "PT1.5S,1500ms", "PT2S,2s", "PT90S,90s", "PT2M,2m", "PT1H,1h", "PT0S,0s",
            "PT-1S,PT-1S", "PT0.0000001S,PT0.0000001S"})
    void should_write_shortest_exact_form_when_formatting(String iso, String expected) {
        Duration d = Duration.parse(iso);
        assertThat(Durations.format(d)).isEqualTo(expected);
        assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    }
}
