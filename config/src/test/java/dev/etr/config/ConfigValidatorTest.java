package dev.etr.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigValidatorTest {

    private static final BackendConfig OPENAI = BackendConfig.openai("http://127.0.0.1:9001/v1", "m", null);
    private static final GeneralistConfig GENERALIST = new GeneralistConfig(BackendConfig.mock(), null, null, null);

    private static ExpertConfig expert(String name, BackendConfig backend) {
        return new ExpertConfig(name, null, backend, List.of("an example"), null, null);
    }

    private static EtrConfig withExperts(ExpertConfig... experts) {
        return new EtrConfig(null, null, GENERALIST, List.of(experts));
    }

    private static List<String> errorsOf(EtrConfig config) {
        return catchThrowableOfType(ConfigException.class, () -> ConfigValidator.validate(config)).errors();
    }

    @Test
    void should_accept_config_when_everything_is_valid() {
        // given
        EtrConfig config = withExperts(expert("math", OPENAI), expert("code-v2.1_x", BackendConfig.mock()));

        // when / then
        assertThatCode(() -> ConfigValidator.validate(config)).doesNotThrowAnyException();
    }

    @Test
    void should_reject_port_when_out_of_range() {
        // given
        EtrConfig config = new EtrConfig(new ServerConfig(null, 70000, null, null, null), null, GENERALIST, null);

        // when / then
        assertThat(errorsOf(config)).containsExactly("server.port: 70000 is not in 0..65535");
    }

    @Test
    void should_reject_server_limits_and_keys_when_unusable() {
        // given
        EtrConfig config = new EtrConfig(new ServerConfig(null, -1, List.of("k", " "), 0L, ""), null, GENERALIST, null);

        // when / then
        assertThat(errorsOf(config)).containsExactly(
                "server.port: -1 is not in 0..65535",
                "server.maxBodyBytes: 0 must be > 0",
                "server.apiKeys[1]: must not be blank",
                "server.adminKey: must not be blank (leave it out to disable the admin API)");
    }

    @Test
    void should_reject_router_settings_when_out_of_range() {
        // given
        EtrConfig config = new EtrConfig(null, new RouterConfig(null, 1.5, -1), GENERALIST, null);
        EtrConfig nan = new EtrConfig(null, new RouterConfig(null, Double.NaN, 0), GENERALIST, null);

        // when / then
        assertThat(errorsOf(config)).containsExactly(
                "router.threshold: 1.5 is not in [0, 1]",
                "router.historyTurns: -1 must be >= 0");
        assertThat(errorsOf(nan)).containsExactly("router.threshold: NaN is not in [0, 1]");
    }

    @Test
    void should_require_paths_when_meta_model_is_onnx() {
        // given
        MetaModelConfig onnx = new MetaModelConfig(MetaModelConfig.Type.onnx, null, "/no/such/tokenizer.json", "max", null, null, null, 0);
        EtrConfig config = new EtrConfig(null, new RouterConfig(onnx, null, null), GENERALIST, null);

        // when / then
        assertThat(errorsOf(config)).containsExactly(
                "router.metaModel.modelPath: must be set for type onnx",
                "router.metaModel.tokenizerPath: \"/no/such/tokenizer.json\" does not exist",
                "router.metaModel.pooling: \"max\" is not one of cls, mean",
                "router.metaModel.maxTokens: 0 must be > 0");
    }

    @Test
    void should_accept_onnx_when_files_exist(@TempDir Path dir) throws Exception {
        // given
        Path model = Files.writeString(dir.resolve("model.onnx"), "x");
        Path tokenizer = Files.writeString(dir.resolve("tokenizer.json"), "{}");
        MetaModelConfig onnx = new MetaModelConfig(MetaModelConfig.Type.onnx, model.toString(), tokenizer.toString(), "MEAN", null, null, null, 512);

        // when / then
        assertThatCode(() -> ConfigValidator.validate(new EtrConfig(null, new RouterConfig(onnx, null, null), GENERALIST, null)))
                .doesNotThrowAnyException();
    }

    @Test
    void should_require_url_and_model_when_meta_model_is_openai_embeddings() {
        // given
        MetaModelConfig missing = new MetaModelConfig(MetaModelConfig.Type.openai_embeddings, null, null, null, null, null, null, null);
        MetaModelConfig badUrl = new MetaModelConfig(MetaModelConfig.Type.openai_embeddings, null, null, null, "localhost:8081", "e", null, null);

        // when / then
        assertThat(errorsOf(new EtrConfig(null, new RouterConfig(missing, null, null), GENERALIST, null))).containsExactly(
                "router.metaModel.baseUrl: must be set for type openai-embeddings",
                "router.metaModel.model: must be set for type openai-embeddings");
        assertThat(errorsOf(new EtrConfig(null, new RouterConfig(badUrl, null, null), GENERALIST, null))).containsExactly(
                "router.metaModel.baseUrl: \"localhost:8081\" is not an http(s) URL");
    }

    @Test
    void should_require_generalist_when_missing() {
        // given
        EtrConfig config = new EtrConfig(null, null, null, null);
        EtrConfig noBackend = new EtrConfig(null, null, new GeneralistConfig(null, null, null, null), null);

        // when / then
        assertThat(errorsOf(config)).containsExactly("generalist: must be set (it answers when no expert fits)");
        assertThat(errorsOf(noBackend)).containsExactly("generalist.backend: must be set");
    }

    @Test
    void should_reject_names_when_blank_malformed_reserved_or_duplicated() {
        // given
        EtrConfig config = withExperts(
                expert(" ", OPENAI), expert("Math", OPENAI), expert("auto", OPENAI), expert("generalist", OPENAI),
                expert("law", OPENAI), expert("-x", OPENAI), expert("a".repeat(65), OPENAI), expert("law", OPENAI),
                expert(null, OPENAI));

        // when / then
        assertThat(errorsOf(config)).containsExactly(
                "experts[0].name: must not be blank",
                "experts[1].name: \"Math\" must match [a-z0-9][a-z0-9._-]{0,63}",
                "experts[2].name: \"auto\" is reserved",
                "experts[3].name: \"generalist\" is reserved",
                "experts[5].name: \"-x\" must match [a-z0-9][a-z0-9._-]{0,63}",
                "experts[6].name: \"" + "a".repeat(65) + "\" must match [a-z0-9][a-z0-9._-]{0,63}",
                "experts[7].name: \"law\" is already used by experts[4]",
                "experts[8].name: must not be blank");
    }

    @Test
    void should_reject_backend_when_openai_lacks_url_or_model() {
        // given
        EtrConfig config = withExperts(
                expert("a", BackendConfig.openai(null, " ", null)),
                expert("b", BackendConfig.openai("http://h", "m", null)),
                expert("c", BackendConfig.openai("htp:/x", "m", null)),
                expert("d", null));

        // when / then
        assertThat(errorsOf(config)).containsExactly(
                "experts[0].backend.baseUrl: must be set for type openai",
                "experts[0].backend.model: must be set for type openai",
                "experts[2].backend.baseUrl: \"htp:/x\" is not an http(s) URL",
                "experts[3].backend: must be set");
    }

    @Test
    void should_reject_backend_when_timeout_or_headers_are_unusable() {
        // given
        BackendConfig zero = new BackendConfig(BackendConfig.Type.mock, null, null, null, Duration.ZERO, Map.of(" ", "v"));
        BackendConfig negative = new BackendConfig(BackendConfig.Type.mock, "ftp://h", null, null, Duration.ofSeconds(-1), null);

        // when / then
        assertThat(errorsOf(withExperts(expert("a", zero), expert("b", negative)))).containsExactly(
                "experts[0].backend.timeout: 0s must be > 0",
                "experts[0].backend.headers: header names must not be blank",
                "experts[1].backend.baseUrl: \"ftp://h\" is not an http(s) URL",
                "experts[1].backend.timeout: PT-1S must be > 0");
    }

    @Test
    void should_name_every_unusable_resilience_setting() {
        // given
        ResilienceConfig bad = new ResilienceConfig(Duration.ZERO, Duration.ofSeconds(-1),
                new ResilienceConfig.Retry(0, Duration.ofMillis(-1), 0.5, null, 1.0, null),
                new ResilienceConfig.CircuitBreaker(null, 0.0, 101.0, Duration.ZERO, 0, null, null, 0),
                new ResilienceConfig.Bulkhead(0), List.of(" ", "generalist", "law"));

        // when / then
        assertThat(errorsOf(withExperts(expert("a", BackendConfig.mock().withResilience(bad))))).containsExactly(
                "experts[0].backend.resilience.firstByteTimeout: 0s must be > 0",
                "experts[0].backend.resilience.totalTimeout: PT-1S must be > 0",
                "experts[0].backend.resilience.retry.maxAttempts: 0 must be >= 1 (1: no retry)",
                "experts[0].backend.resilience.retry.initialBackoff: PT-0.001S must be >= 0",
                "experts[0].backend.resilience.retry.multiplier: 0.5 must be >= 1",
                "experts[0].backend.resilience.retry.jitter: 1.0 is not in [0, 1)",
                "experts[0].backend.resilience.circuitBreaker.failureRateThreshold: 0.0 is not in (0, 100]",
                "experts[0].backend.resilience.circuitBreaker.slowCallRateThreshold: 101.0 is not in (0, 100]",
                "experts[0].backend.resilience.circuitBreaker.slowCallDuration: 0s must be > 0",
                "experts[0].backend.resilience.circuitBreaker.slidingWindowSize: 0 must be >= 1",
                "experts[0].backend.resilience.circuitBreaker.halfOpenCalls: 0 must be >= 1",
                "experts[0].backend.resilience.bulkhead.maxConcurrentCalls: 0 must be >= 1",
                "experts[0].backend.resilience.fallback[0]: must not be blank",
                "experts[0].backend.resilience.fallback[1]: \"generalist\" always comes last by itself: leave it out");
    }

    @Test
    void should_accept_the_default_resilience_settings() {
        assertThatCode(() -> ConfigValidator.validate(
                withExperts(expert("a", BackendConfig.mock().withResilience(ResilienceConfig.DEFAULTS)))))
                .doesNotThrowAnyException();
    }

    @Test
    void should_require_examples_when_expert_has_none() {
        // given
        ExpertConfig none = new ExpertConfig("a", null, OPENAI, List.of(), null, null);
        ExpertConfig blank = new ExpertConfig("b", null, OPENAI, List.of("ok", "  "), null, null);

        // when / then
        assertThat(errorsOf(withExperts(none, blank))).containsExactly(
                "experts[0]: needs examples or examplesFile",
                "experts[1].examples[1]: must not be blank");
    }

    @Test
    void should_check_examples_file_when_it_is_set(@TempDir Path dir) throws Exception {
        // given
        Path empty = Files.writeString(dir.resolve("empty.jsonl"), "\n\n");
        Path broken = Files.writeString(dir.resolve("broken.jsonl"), "{\"text\": \"ok\"}\n{\"label\": \"x\"}\n");
        Path missing = dir.resolve("missing.jsonl");
        EtrConfig config = new EtrConfig(null, null,
                new GeneralistConfig(BackendConfig.mock(), null, dir.toString(), null),
                List.of(new ExpertConfig("a", null, OPENAI, null, empty.toString(), null),
                        new ExpertConfig("b", null, OPENAI, null, broken.toString(), null),
                        new ExpertConfig("c", null, OPENAI, null, missing.toString(), null),
                        new ExpertConfig("d", null, OPENAI, null, "", null)));

        // when / then
        assertThat(errorsOf(config)).containsExactly(
                "generalist.examplesFile: \"" + dir + "\" is not a regular file",
                "experts[0].examplesFile: \"" + empty + "\" has no examples",
                "experts[1].examplesFile: " + broken + ":2: missing \"text\"",
                "experts[2].examplesFile: \"" + missing + "\" does not exist",
                "experts[3].examplesFile: must not be blank");
    }

    @Test
    void should_report_all_problems_when_several_sections_are_wrong() {
        // given
        EtrConfig config = new EtrConfig(new ServerConfig(null, 65536, null, -5L, null), new RouterConfig(null, -0.1, null),
                null, List.of(expert("x", BackendConfig.openai("mailto:a@b", null, null))));

        // when
        List<String> errors = errorsOf(config);

        // then
        assertThat(errors).containsExactly(
                "server.port: 65536 is not in 0..65535",
                "server.maxBodyBytes: -5 must be > 0",
                "router.threshold: -0.1 is not in [0, 1]",
                "generalist: must be set (it answers when no expert fits)",
                "experts[0].backend.baseUrl: \"mailto:a@b\" is not an http(s) URL",
                "experts[0].backend.model: must be set for type openai");
    }

    @Test
    void should_join_all_errors_in_message_when_there_are_several() {
        // given
        EtrConfig config = new EtrConfig(new ServerConfig(null, 65536, null, 0L, null), null, GENERALIST, null);

        // when
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigValidator.validate(config));

        // then
        assertThat(e).hasMessage("2 errors\n  server.port: 65536 is not in 0..65535\n  server.maxBodyBytes: 0 must be > 0");
    }

    @Test
    void should_use_paths_relative_to_expert_when_validating_one_expert() {
        // given
        ExpertConfig expert = new ExpertConfig("auto", null, BackendConfig.openai("x", "m", null), new ArrayList<>(), null, null);

        // when
        List<String> errors = catchThrowableOfType(ConfigException.class, () -> ConfigValidator.validate(expert)).errors();

        // then
        assertThat(errors).containsExactly(
                "name: \"auto\" is reserved",
                "backend.baseUrl: \"x\" is not an http(s) URL",
                "needs examples or examplesFile");
    }
}
