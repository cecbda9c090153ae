package dev.etr.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EmbeddedDefaultsTest {

    private static final List<String> NAMES = List.of("math", "code", "medicine", "law", "finance");

    @Test
    void should_serve_five_demo_experts_with_many_examples_when_no_config_is_given() {
        // when
        EtrConfig config = EmbeddedDefaults.config(Map.of(), false);

        // then
        assertThat(config.experts()).extracting(ExpertConfig::name).containsExactlyElementsOf(NAMES);
        Set<String> seen = new HashSet<>();
        for (ExpertConfig expert : config.experts()) {
            assertThat(expert.description()).as(expert.name()).isNotBlank();
            assertThat(expert.examples()).as(expert.name()).hasSizeGreaterThanOrEqualTo(40).doesNotHaveDuplicates();
            assertThat(expert.examples()).as(expert.name()).allSatisfy(e -> assertThat(e).isNotBlank());
            expert.examples().forEach(e -> assertThat(seen.add(e)).as("shared example: " + e).isTrue());
        }
        assertThat(config.generalist().examples()).isEmpty();
        assertThat(config.generalist().examplesFile()).isNull();
    }

    @Test
    void should_mix_short_long_and_exam_style_requests_when_listing_demo_examples() {
        // when
        List<ExpertConfig> experts = EmbeddedDefaults.config(Map.of(), true).experts();

        // then
        for (ExpertConfig expert : experts) {
            List<String> examples = expert.examples();
            assertThat(examples).as(expert.name()).anyMatch(e -> e.length() < 45).anyMatch(e -> e.length() > 90)
                    .anyMatch(e -> e.contains("(A)") || e.contains("A)"))
                    .anyMatch(e -> e.endsWith("?")).anyMatch(e -> !e.endsWith("?"));
        }
    }

    @Test
    void should_use_local_ollama_defaults_when_environment_is_empty() {
        // when
        EtrConfig config = EmbeddedDefaults.config(Map.of(), false);

        // then
        assertThat(config.server()).isEqualTo(ServerConfig.defaults());
        assertThat(config.router()).isEqualTo(RouterConfig.defaults());
        assertThat(config.generalist().backend()).isEqualTo(BackendConfig.openai("http://127.0.0.1:11434/v1", "llama3.1", null));
        assertThat(config.experts()).allSatisfy(e ->
                assertThat(e.backend()).isEqualTo(BackendConfig.openai("http://127.0.0.1:11434/v1", "llama3.1", null)));
    }

    @Test
    void should_apply_overrides_when_environment_sets_them() {
        // given
        Map<String, String> env = Map.of(
                "ETR_HOST", "0.0.0.0", "ETR_PORT", " 9000 ", "ETR_ADMIN_KEY", "adm", "ETR_API_KEYS", "k1, k2,,",
                "ETR_OPENAI_BASE_URL", "https://api.example.com/v1", "ETR_OPENAI_API_KEY", "sk-1",
                "ETR_OPENAI_MODEL", "qwen2.5", "ETR_MODEL_MATH", "qwen2.5-math", "ETR_MODEL_GENERALIST", "big");

        // when
        EtrConfig config = EmbeddedDefaults.config(env, false);

        // then
        assertThat(config.server()).isEqualTo(new ServerConfig("0.0.0.0", 9000, List.of("k1", "k2"), null, "adm"));
        assertThat(config.experts().get(0).backend()).isEqualTo(BackendConfig.openai("https://api.example.com/v1", "qwen2.5-math", "sk-1"));
        assertThat(config.experts().get(1).backend()).isEqualTo(BackendConfig.openai("https://api.example.com/v1", "qwen2.5", "sk-1"));
        assertThat(config.generalist().backend().model()).isEqualTo("big");
    }

    @Test
    void should_use_defaults_when_variables_are_empty() {
        // when
        EtrConfig config = EmbeddedDefaults.config(Map.of("ETR_PORT", "", "ETR_OPENAI_API_KEY", " ", "ETR_ADMIN_KEY", ""), false);

        // then
        assertThat(config.server().port()).isEqualTo(8080);
        assertThat(config.server().adminKey()).isNull();
        assertThat(config.generalist().backend().apiKey()).isNull();
    }

    @Test
    void should_use_mock_backends_when_demo() {
        // when
        EtrConfig config = EmbeddedDefaults.config(Map.of("ETR_OPENAI_BASE_URL", "not a url"), true);

        // then
        assertThat(config.experts()).allSatisfy(e -> assertThat(e.backend()).isEqualTo(BackendConfig.mock()));
        assertThat(config.generalist().backend()).isEqualTo(BackendConfig.mock());
    }

    @Test
    void should_name_variables_when_environment_values_are_unusable() {
        // when
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> EmbeddedDefaults.config(Map.of("ETR_PORT", "eighty", "ETR_OPENAI_BASE_URL", "localhost:11434"), false));

        // then
        assertThat(e.errors()).containsExactly(
                "ETR_PORT: \"eighty\" is not an integer",
                "ETR_OPENAI_BASE_URL: \"localhost:11434\" is not an http(s) URL");
    }

    @Test
    void should_validate_result_when_port_is_out_of_range() {
        // when
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> EmbeddedDefaults.config(Map.of("ETR_PORT", "70000"), true));

        // then
        assertThat(e.errors()).containsExactly("server.port: 70000 is not in 0..65535");
        assertThat(e).hasMessageStartingWith("embedded default configuration (check the ETR_* variables): ");
    }
}
