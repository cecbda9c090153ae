package dev.etr.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.etr.config.ConfigLoader.Format;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final String FULL_YAML = """
            server:
              host: 0.0.0.0
              port: 9090
              apiKeys: ["k1", "k2"]
              maxBodyBytes: 1024
              adminKey: secret-admin
            router:
              metaModel:
                type: openai-embeddings
                baseUrl: http://127.0.0.1:8081/v1
                model: qwen-embed
                maxTokens: 512
              threshold: 0.25
              historyTurns: 3
            generalist:
              backend: { type: openai, baseUrl: "http://127.0.0.1:11434/v1", model: llama3.1, timeout: 2s }
              systemPrompt: Be brief.
            experts:
              - name: astronomy
                description: Stars, planets, cosmology
                backend:
                  type: openai
                  baseUrl: http://127.0.0.1:9001/v1
                  model: astro
                  apiKey: astro-key
                  timeout: 500ms
                  headers: { X-Team: space }
                examples: ["How far away is the Andromeda galaxy?", "What is a pulsar?"]
              - name: demo
                backend: { type: mock }
                examples: ["hello"]
            """;

    private static final String FULL_JSON = """
            {
              "server": {"host": "0.0.0.0", "port": 9090, "apiKeys": ["k1", "k2"], "maxBodyBytes": 1024,
                         "adminKey": "secret-admin"},
              "router": {
                "metaModel": {"type": "openai-embeddings", "baseUrl": "http://127.0.0.1:8081/v1",
                              "model": "qwen-embed", "maxTokens": 512},
                "threshold": 0.25, "historyTurns": 3
              },
              "generalist": {
                "backend": {"type": "openai", "baseUrl": "http://127.0.0.1:11434/v1", "model": "llama3.1",
                            "timeout": "PT2S"},
                "systemPrompt": "Be brief."
              },
              "experts": [
                {"name": "astronomy", "description": "Stars, planets, cosmology",
                 "backend": {"type": "openai", "baseUrl": "http://127.0.0.1:9001/v1", "model": "astro",
                             "apiKey": "astro-key", "timeout": "500ms", "headers": {"X-Team": "space"}},
                 "examples": ["How far away is the Andromeda galaxy?", "What is a pulsar?"]},
                {"name": "demo", "backend": {"type": "mock"}, "examples": ["hello"]}
              ]
            }
            """;

    private static final String MINIMAL = """
            generalist:
              backend: { type: mock }
            """;

    private final ConfigLoader loader = ConfigLoader.withEnv(Map.of());

    private static List<String> errorsOf(Runnable action) {
        return catchThrowableOfType(ConfigException.class, action::run).errors();
    }

    @Test
    void should_bind_every_field_when_yaml_is_complete() {
        // when
        EtrConfig config = loader.parse(FULL_YAML, Format.YAML);

        // then
        assertThat(config.server()).isEqualTo(new ServerConfig("0.0.0.0", 9090, List.of("k1", "k2"), 1024L, "secret-admin"));
        assertThat(config.router()).isEqualTo(new RouterConfig(
                new MetaModelConfig(MetaModelConfig.Type.openai_embeddings, null, null, null,
                        "http://127.0.0.1:8081/v1", "qwen-embed", null, 512),
                0.25, 3));
        assertThat(config.generalist().backend().timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.generalist().systemPrompt()).isEqualTo("Be brief.");
        assertThat(config.experts()).hasSize(2);
        ExpertConfig astronomy = config.experts().get(0);
        assertThat(astronomy.backend()).isEqualTo(new BackendConfig(BackendConfig.Type.openai,
                "http://127.0.0.1:9001/v1", "astro", "astro-key", Duration.ofMillis(500), Map.of("X-Team", "space")));
        assertThat(astronomy.examples()).containsExactly("How far away is the Andromeda galaxy?", "What is a pulsar?");
        assertThat(config.experts().get(1).backend().type()).isEqualTo(BackendConfig.Type.mock);
    }

    @Test
    void should_give_equal_configs_when_yaml_and_json_say_the_same() {
        // when
        EtrConfig fromYaml = loader.parse(FULL_YAML, Format.YAML);
        EtrConfig fromJson = loader.parse(FULL_JSON, Format.JSON);

        // then
        assertThat(fromJson).isEqualTo(fromYaml);
    }

    @Test
    void should_apply_defaults_when_sections_are_left_out() {
        // when
        EtrConfig config = loader.parse(MINIMAL, Format.YAML);

        // then
        assertThat(config.server()).isEqualTo(ServerConfig.defaults());
        assertThat(config.router()).isEqualTo(RouterConfig.defaults());
        assertThat(config.router().metaModel().type()).isEqualTo(MetaModelConfig.Type.embedded);
        assertThat(config.generalist().backend().timeout()).isEqualTo(BackendConfig.DEFAULT_TIMEOUT);
        assertThat(config.experts()).isEmpty();
    }

    @Test
    void should_bind_resilience_settings_and_default_the_rest_when_some_are_written() {
        // given
        String yaml = """
                generalist:
                  backend:
                    type: mock
                    resilience:
                      firstByteTimeout: 2s
                      totalTimeout: 1m
                      retry: { maxAttempts: 5, initialBackoff: 100ms, multiplier: 3, maxBackoff: 2s, jitter: 0.2, maxRetryAfter: 4s }
                      circuitBreaker: { failureRateThreshold: 25, slowCallRateThreshold: 90, slowCallDuration: 5s,
                                        slidingWindowSize: 8, minimumNumberOfCalls: 4, waitInOpenState: 15s, halfOpenCalls: 1 }
                      bulkhead: { maxConcurrentCalls: 7 }
                      fallback: [law, math]
                experts:
                  - { name: a, backend: { type: mock, resilience: { retry: { maxAttempts: 1 }, circuitBreaker: { enabled: false } } }, examples: [x] }
                """;

        // when
        EtrConfig config = loader.parse(yaml, Format.YAML);

        // then
        ResilienceConfig full = config.generalist().backend().resilience();
        assertThat(full.firstByteTimeoutOr(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(2));
        assertThat(full.totalTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(full.retry()).isEqualTo(new ResilienceConfig.Retry(5, Duration.ofMillis(100), 3.0,
                Duration.ofSeconds(2), 0.2, Duration.ofSeconds(4)));
        assertThat(full.circuitBreaker()).isEqualTo(new ResilienceConfig.CircuitBreaker(true, 25.0, 90.0,
                Duration.ofSeconds(5), 8, 4, Duration.ofSeconds(15), 1));
        assertThat(full.bulkhead().maxConcurrentCalls()).isEqualTo(7);
        assertThat(full.fallback()).containsExactly("law", "math");
        ResilienceConfig partial = config.experts().get(0).backend().resilience();
        assertThat(partial.retry().maxAttempts()).isEqualTo(1);
        assertThat(partial.retry().initialBackoff()).isEqualTo(Duration.ofMillis(250));
        assertThat(partial.circuitBreaker().enabled()).isFalse();
        assertThat(partial.circuitBreaker().failureRateThreshold()).isEqualTo(50.0);
        assertThat(partial.firstByteTimeoutOr(BackendConfig.DEFAULT_TIMEOUT)).isEqualTo(BackendConfig.DEFAULT_TIMEOUT);
    }

    @Test
    void should_apply_resilience_defaults_when_the_section_is_left_out() {
        // when
        BackendConfig backend = loader.parse(MINIMAL, Format.YAML).generalist().backend();

        // then
        assertThat(backend.resilience()).isEqualTo(ResilienceConfig.DEFAULTS);
        assertThat(backend.resilience().totalTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(backend.resilience().retry().maxAttempts()).isEqualTo(3);
        assertThat(backend.resilience().circuitBreaker().waitInOpenState()).isEqualTo(Duration.ofSeconds(30));
        assertThat(backend.resilience().bulkhead().maxConcurrentCalls()).isEqualTo(100);
        assertThat(backend.resilience().fallback()).isEmpty();
    }

    @Test
    void should_name_path_when_a_resilience_key_is_unknown() {
        // given
        String yaml = """
                generalist: { backend: { type: mock, resilience: { retry: { attempts: 2 } } } }
                """;

        // when
        List<String> errors = errorsOf(() -> loader.parse(yaml, Format.YAML));

        // then
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).startsWith("generalist.backend.resilience.retry.attempts: unknown key (known: maxAttempts,");
    }

    @Test
    void should_name_path_and_known_keys_when_a_key_is_unknown() {
        // given
        String yaml = MINIMAL + """
                experts:
                  - name: a
                    backend: { type: mock }
                    examples: [x]
                  - name: b
                    backend: { type: openai, baseUrll: "http://x", model: m }
                    examples: [x]
                """;

        // when
        List<String> errors = errorsOf(() -> loader.parse(yaml, Format.YAML));

        // then
        assertThat(errors).containsExactly(
                "experts[1].backend.baseUrll: unknown key (known: type, baseUrl, model, apiKey, timeout, headers, resilience)");
    }

    @Test
    void should_report_every_unknown_key_when_there_are_several() {
        // given
        String yaml = """
                serverr: { port: 1 }
                router: { metaModel: { type: embedded, dimension: 384 }, treshold: 0.5 }
                generalist: { backend: { type: mock }, examples: [], extra: { nested: [1, 2] } }
                """;

        // when
        List<String> errors = errorsOf(() -> loader.parse(yaml, Format.YAML));

        // then
        assertThat(errors).containsExactlyInAnyOrder(
                "serverr: unknown key (known: server, router, generalist, experts)",
                "router.metaModel.dimension: unknown key (known: type, modelPath, tokenizerPath, pooling, "
                        + "baseUrl, model, apiKey, maxTokens)",
                "router.treshold: unknown key (known: metaModel, threshold, historyTurns)",
                "generalist.extra: unknown key (known: backend, examples, examplesFile, systemPrompt)");
    }

    @Test
    void should_substitute_environment_when_variables_are_set_or_defaulted() {
        // given
        String yaml = """
                server: { port: "${PORT}", adminKey: "${ADMIN:-fallback}" }
                generalist:
                  backend:
                    type: openai
                    baseUrl: "http://${HOST:-localhost}:${BACKEND_PORT:-11434}/v1"
                    model: "${MODEL}"
                    headers: { Authorization: "Bearer ${TOKEN}" }
                """;
        ConfigLoader withEnv = ConfigLoader.withEnv(Map.of("PORT", "9999", "MODEL", "qwen", "TOKEN", "t0k", "HOST", "gpu1"));

        // when
        EtrConfig config = withEnv.parse(yaml, Format.YAML);

        // then
        assertThat(config.server().port()).isEqualTo(9999);
        assertThat(config.server().adminKey()).isEqualTo("fallback");
        BackendConfig backend = config.generalist().backend();
        assertThat(backend.baseUrl()).isEqualTo("http://gpu1:11434/v1");
        assertThat(backend.model()).isEqualTo("qwen");
        assertThat(backend.headers()).containsEntry("Authorization", "Bearer t0k");
    }

    @Test
    void should_use_default_when_variable_is_set_but_empty() {
        // given
        String yaml = MINIMAL + "server: { host: \"${HOST:-0.0.0.0}\" }\n";

        // when
        EtrConfig config = ConfigLoader.withEnv(Map.of("HOST", "")).parse(yaml, Format.YAML);

        // then
        assertThat(config.server().host()).isEqualTo("0.0.0.0");
    }

    @Test
    void should_treat_value_as_absent_when_it_interpolates_to_nothing() {
        // given
        String yaml = """
                server: { adminKey: "${ADMIN_KEY:-}", port: "${PORT:-}" }
                generalist:
                  backend: { type: openai, baseUrl: "http://h/v1", model: m, apiKey: "${KEY:-}" }
                """;

        // when
        EtrConfig config = loader.parse(yaml, Format.YAML);

        // then
        assertThat(config.server().adminKey()).isNull();
        assertThat(config.server().port()).isEqualTo(ServerConfig.DEFAULT_PORT);
        assertThat(config.generalist().backend().apiKey()).isNull();
    }

    @Test
    void should_name_path_and_variable_when_variable_is_unset() {
        // given
        String yaml = """
                generalist:
                  backend: { type: openai, baseUrl: "http://h/v1", model: "${MODEL}", apiKey: "${KEY1}-${KEY2}" }
                """;

        // when
        List<String> errors = errorsOf(() -> ConfigLoader.withEnv(Map.of("KEY1", "a")).parse(yaml, Format.YAML));

        // then
        assertThat(errors).containsExactly(
                "generalist.backend.model: environment variable MODEL is not set (write ${MODEL:-default} to make it optional)",
                "generalist.backend.apiKey: environment variable KEY2 is not set (write ${KEY2:-default} to make it optional)");
    }

    @Test
    void should_keep_literal_placeholder_when_it_is_escaped() {
        // given
        String yaml = MINIMAL + "  systemPrompt: \"Write $${HOME} verbatim, cost $5\"\n";

        // when
        EtrConfig config = loader.parse(yaml, Format.YAML);

        // then
        assertThat(config.generalist().systemPrompt()).isEqualTo("Write ${HOME} verbatim, cost $5");
    }

    @Test
    void should_reject_placeholder_when_it_is_malformed() {
        // given
        String yaml = """
                server: { host: "${1BAD}", adminKey: "${OPEN" }
                generalist: { backend: { type: mock } }
                """;

        // when
        List<String> errors = errorsOf(() -> loader.parse(yaml, Format.YAML));

        // then
        assertThat(errors).containsExactly(
                "server.host: \"${1BAD}\" is not a ${NAME} or ${NAME:-default} placeholder",
                "server.adminKey: unterminated ${ in \"${OPEN\"");
    }

    @Test
    void should_not_interpolate_environment_values_again_when_they_contain_placeholders() {
        // given
        String yaml = MINIMAL + "  systemPrompt: \"${PROMPT}\"\n";

        // when
        EtrConfig config = ConfigLoader.withEnv(Map.of("PROMPT", "say ${SECRET}")).parse(yaml, Format.YAML);

        // then
        assertThat(config.generalist().systemPrompt()).isEqualTo("say ${SECRET}");
    }

    @Test
    void should_parse_every_duration_form_when_timeouts_are_written_by_hand() {
        // given
        String yaml = """
                generalist: { backend: { type: mock, timeout: 1m } }
                experts:
                  - { name: a, backend: { type: mock, timeout: 500ms }, examples: [x] }
                  - { name: b, backend: { type: mock, timeout: PT2S }, examples: [x] }
                  - { name: c, backend: { type: mock, timeout: 2h }, examples: [x] }
                  - { name: d, backend: { type: mock, timeout: " 3s " }, examples: [x] }
                """;

        // when
        EtrConfig config = loader.parse(yaml, Format.YAML);

        // then
        assertThat(config.generalist().backend().timeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.experts()).extracting(e -> e.backend().timeout())
                .containsExactly(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofHours(2), Duration.ofSeconds(3));
    }

    @Test
    void should_name_path_and_value_when_duration_is_malformed() {
        // given
        String yaml = """
                generalist: { backend: { type: mock, timeout: 2 seconds } }
                """;

        // when
        List<String> errors = errorsOf(() -> loader.parse(yaml, Format.YAML));

        // then
        assertThat(errors).containsExactly(
                "generalist.backend.timeout: \"2 seconds\" is not a duration (use 500ms, 2s, 1m, 1h or ISO-8601 like PT2S)");
    }

    @Test
    void should_ask_for_a_unit_when_duration_is_a_bare_number() {
        // given
        String json = """
                {"generalist": {"backend": {"type": "mock", "timeout": 30}}}
                """;

        // when
        List<String> errors = errorsOf(() -> loader.parse(json, Format.JSON));

        // then
        assertThat(errors).containsExactly(
                "generalist.backend.timeout: 30 is not a duration (use 500ms, 2s, 1m, 1h or ISO-8601 like PT2S)");
    }

    @Test
    void should_list_file_spellings_when_enum_value_is_unknown() {
        // given
        String yaml = MINIMAL + "router: { metaModel: { type: openai_embeddings } }\n";

        // when
        List<String> errors = errorsOf(() -> loader.parse(yaml, Format.YAML));

        // then
        assertThat(errors).containsExactly(
                "router.metaModel.type: \"openai_embeddings\" is not one of embedded, onnx, openai-embeddings");
    }

    @Test
    void should_list_backend_types_when_backend_type_is_unknown() {
        // given
        String yaml = "generalist: { backend: { type: anthropic } }\n";

        // when
        List<String> errors = errorsOf(() -> loader.parse(yaml, Format.YAML));

        // then
        assertThat(errors).containsExactly("generalist.backend.type: \"anthropic\" is not one of openai, mock");
    }

    @Test
    void should_name_path_when_value_has_the_wrong_type() {
        // given
        String notAnInteger = MINIMAL + "server: { port: eighty }\n";
        String fraction = MINIMAL + "server: { port: 80.5 }\n";
        String notAList = MINIMAL + "experts: { name: a }\n";
        String notAString = MINIMAL + "  systemPrompt: [a, b]\n";
        String notANumber = MINIMAL + "router: { threshold: high }\n";

        // when / then
        assertThat(errorsOf(() -> loader.parse(notAnInteger, Format.YAML)))
                .containsExactly("server.port: \"eighty\" is not an integer");
        assertThat(errorsOf(() -> loader.parse(fraction, Format.YAML)))
                .containsExactly("server.port: \"80.5\" is not an integer");
        assertThat(errorsOf(() -> loader.parse("{\"server\": {\"port\": 80.5}}", Format.JSON)))
                .containsExactly("server.port: 80.5 is not an integer");
        assertThat(errorsOf(() -> loader.parse(notAList, Format.YAML)))
                .containsExactly("experts: expected a list");
        assertThat(errorsOf(() -> loader.parse(notAString, Format.YAML)))
                .containsExactly("generalist.systemPrompt: expected a string");
        assertThat(errorsOf(() -> loader.parse(notANumber, Format.YAML)))
                .containsExactly("router.threshold: \"high\" is not a number");
    }

    @Test
    void should_keep_scalars_as_written_when_yaml_would_retype_them() {
        // given: YAML 1.1 reads no/on as booleans and 1e3, 3.10, 0x10 as numbers
        String yaml = MINIMAL + """
                experts:
                  - name: no
                    description: on
                    backend: { type: openai, baseUrl: "http://h/v1", model: 3.10, apiKey: 0123 }
                    examples: [yes, off, 1e3, 0x10, ~x]
                """;

        // when
        ExpertConfig expert = loader.parse(yaml, Format.YAML).experts().get(0);

        // then
        assertThat(expert.name()).isEqualTo("no");
        assertThat(expert.description()).isEqualTo("on");
        assertThat(expert.backend().model()).isEqualTo("3.10");
        assertThat(expert.backend().apiKey()).isEqualTo("0123");
        assertThat(expert.examples()).containsExactly("yes", "off", "1e3", "0x10", "~x");
    }

    @Test
    void should_still_bind_numbers_when_yaml_scalars_are_kept_as_text() {
        // given
        String yaml = MINIMAL + "server: { port: 0, maxBodyBytes: 9999999999 }\nrouter: { threshold: 1e-1, historyTurns: 0 }\n";

        // when
        EtrConfig config = loader.parse(yaml, Format.YAML);

        // then
        assertThat(config.server().port()).isZero();
        assertThat(config.server().maxBodyBytes()).isEqualTo(9_999_999_999L);
        assertThat(config.router().threshold()).isEqualTo(0.1);
        assertThat(config.router().historyTurns()).isZero();
    }

    @Test
    void should_name_path_when_a_number_overflows() {
        // given
        String yaml = MINIMAL + "server: { port: 99999999999 }\n";

        // when / then
        assertThat(errorsOf(() -> loader.parse(yaml, Format.YAML))).singleElement().asString()
                .startsWith("server.port: ").contains("99999999999");
    }

    @Test
    void should_name_path_when_a_list_holds_null() {
        // given
        String nullExample = MINIMAL + """
                experts:
                  - { name: a, backend: { type: mock }, examples: [x, ~] }
                """;
        String nullExpert = MINIMAL + "experts: [~]\n";

        // when / then
        assertThat(errorsOf(() -> loader.parse(nullExample, Format.YAML)))
                .containsExactly("experts[0].examples[1]: must not be null");
        assertThat(errorsOf(() -> loader.parse(nullExpert, Format.YAML)))
                .containsExactly("experts[0]: must not be null");
    }

    @Test
    void should_give_line_and_column_when_syntax_is_broken() {
        // given
        String json = "{\"server\": {\"port\": 8080,}}";
        String yaml = "server:\n  port: 8080\n port: 1\n";

        // when
        ConfigException jsonError = catchThrowableOfType(ConfigException.class, () -> loader.parse(json, Format.JSON));
        ConfigException yamlError = catchThrowableOfType(ConfigException.class, () -> loader.parse(yaml, Format.YAML));

        // then
        assertThat(jsonError.errors()).singleElement().asString().startsWith("line 1, column 26: Unexpected character ('}'");
        assertThat(yamlError.errors()).singleElement().asString().startsWith("line 3, column 2: ");
    }

    @Test
    void should_reject_duplicate_keys_when_a_key_is_repeated() {
        // given
        String yaml = MINIMAL + "server: { port: 1, port: 2 }\n";

        // when
        List<String> errors = errorsOf(() -> loader.parse(yaml, Format.YAML));

        // then
        assertThat(errors).singleElement().asString().contains("Duplicate field 'port'");
    }

    @Test
    void should_reject_top_level_when_it_is_not_an_object() {
        // when
        List<String> errors = errorsOf(() -> loader.parse("- a\n- b\n", Format.YAML));

        // then
        assertThat(errors).containsExactly("(root): expected an object, got ARRAY");
    }

    @Test
    void should_validate_after_binding_when_file_is_well_formed() {
        // given
        String yaml = """
                server: { port: 70000 }
                router: { threshold: 1.5 }
                generalist: { backend: { type: mock } }
                experts:
                  - { name: Astro, backend: { type: openai, baseUrl: "htp:/x", model: m }, examples: [x] }
                """;

        // when
        List<String> errors = errorsOf(() -> loader.parse(yaml, Format.YAML));

        // then
        assertThat(errors).containsExactly(
                "server.port: 70000 is not in 0..65535",
                "router.threshold: 1.5 is not in [0, 1]",
                "experts[0].name: \"Astro\" must match [a-z0-9][a-z0-9._-]{0,63}",
                "experts[0].backend.baseUrl: \"htp:/x\" is not an http(s) URL");
    }

    @Test
    void should_resolve_examples_file_against_config_directory_when_path_is_relative(@TempDir Path dir) throws Exception {
        // given
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("astro.jsonl"), "{\"text\": \"What is a quasar?\"}\n{\"text\": \"Why is Mars red?\"}\n");
        Files.writeString(data.resolve("general.jsonl"), "{\"text\": \"Tell me a joke\"}\n");
        Path file = dir.resolve("etr.yaml");
        Files.writeString(file, """
                generalist: { backend: { type: mock }, examplesFile: data/general.jsonl }
                experts:
                  - { name: astro, backend: { type: mock }, examplesFile: data/astro.jsonl, examples: ["Hi"] }
                """);

        // when
        EtrConfig config = loader.load(file);

        // then
        ExpertConfig astro = config.experts().get(0);
        assertThat(Path.of(astro.examplesFile())).isEqualTo(data.resolve("astro.jsonl").toAbsolutePath());
        assertThat(astro.allExamples()).containsExactly("Hi", "What is a quasar?", "Why is Mars red?");
        assertThat(config.generalist().allExamples()).containsExactly("Tell me a joke");
    }

    @Test
    void should_keep_absolute_examples_file_when_path_is_absolute(@TempDir Path dir) throws Exception {
        // given
        Path examples = Files.writeString(dir.resolve("x.jsonl"), "{\"text\": \"a\"}\n").toAbsolutePath();
        String yaml = MINIMAL + "experts: [ { name: x, backend: { type: mock }, examplesFile: \"" + examples + "\" } ]\n";

        // when
        EtrConfig config = loader.parse(yaml, Format.YAML, Path.of("/somewhere/else"));

        // then
        assertThat(config.experts().get(0).examplesFile()).isEqualTo(examples.toString());
    }

    @Test
    void should_name_file_when_config_is_invalid(@TempDir Path dir) throws Exception {
        // given
        Path file = Files.writeString(dir.resolve("etr.json"), "{\"server\": {\"port\": -1}, \"generalist\": {\"backend\": {\"type\": \"mock\"}}}");

        // when / then
        assertThatThrownBy(() -> loader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": server.port: -1 is not in 0..65535");
    }

    @Test
    void should_say_so_when_config_file_is_missing(@TempDir Path dir) {
        // given
        Path file = dir.resolve("nope.yaml");

        // when / then
        assertThatThrownBy(() -> loader.load(file)).hasMessage(file + ": no such file");
    }

    @Test
    void should_pick_format_from_file_name_when_loading() {
        assertThat(Format.ofFileName("etr.json")).isEqualTo(Format.JSON);
        assertThat(Format.ofFileName("ETR.JSON")).isEqualTo(Format.JSON);
        assertThat(Format.ofFileName("etr.yaml")).isEqualTo(Format.YAML);
        assertThat(Format.ofFileName("etr.yml")).isEqualTo(Format.YAML);
    }

    @Test
    void should_read_process_environment_when_built_without_arguments() {
        // given: PATH is set in every environment the build runs in
        String yaml = MINIMAL + "  systemPrompt: \"${PATH}\"\n";

        // when
        EtrConfig config = new ConfigLoader().parse(yaml, Format.YAML);

        // then
        assertThat(config.generalist().systemPrompt()).isEqualTo(System.getenv("PATH"));
    }
}
