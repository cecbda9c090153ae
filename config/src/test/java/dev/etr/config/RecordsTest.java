package dev.etr.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordsTest {

    @Test
    void should_mask_secrets_when_printing_configs() {
        // given
        BackendConfig backend = new BackendConfig(BackendConfig.Type.openai, "http://h/v1", "m", "sk-backend-secret",
                null, Map.of("Authorization", "Bearer header-secret"));
        ServerConfig server = new ServerConfig(null, null, List.of("client-key-1", "client-key-2"), null, "admin-secret");
        MetaModelConfig meta = new MetaModelConfig(MetaModelConfig.Type.openai_embeddings, null, null, null,
                "http://e/v1", "e", "embed-secret", null);
        EtrConfig config = new EtrConfig(server, new RouterConfig(meta, null, null),
                new GeneralistConfig(backend, null, null, null),
                List.of(new ExpertConfig("x", null, backend, List.of("a"), null, null)));

        // when
        String printed = config.toString();

        // then
        assertThat(printed).doesNotContain("sk-backend-secret", "header-secret", "client-key", "admin-secret", "embed-secret");
        assertThat(backend.toString()).isEqualTo("BackendConfig[type=openai, baseUrl=http://h/v1, model=m, apiKey=***, "
                + "timeout=1m, headers={Authorization=***}]");
        assertThat(server.toString()).isEqualTo("ServerConfig[host=127.0.0.1, port=8080, apiKeys=[***, ***], "
                + "maxBodyBytes=4194304, adminKey=***]");
        assertThat(meta.toString()).contains("apiKey=***", "baseUrl=http://e/v1");
    }

    @Test
    void should_print_null_when_secret_is_absent() {
        // when
        String printed = BackendConfig.mock().toString() + ServerConfig.defaults() + MetaModelConfig.embedded();

        // then
        assertThat(printed).doesNotContain("***").contains("apiKey=null", "adminKey=null", "apiKeys=[]");
    }

    @Test
    void should_print_example_count_when_printing_an_expert() {
        // given
        ExpertConfig expert = new ExpertConfig("x", "d", BackendConfig.mock(), List.of("a", "b", "c"), null, null);

        // when / then
        assertThat(expert.toString()).contains("examples=[3 items]").doesNotContain("a, b");
    }

    @Test
    void should_reject_null_elements_when_constructed_in_code() {
        // given
        List<String> withNull = Arrays.asList("a", null);

        // when / then
        assertThatThrownBy(() -> new ExpertConfig("x", null, null, withNull, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("examples[1]: must not be null");
        assertThatThrownBy(() -> new ServerConfig(null, null, withNull, null, null))
                .hasMessage("apiKeys[1]: must not be null");
    }

    @Test
    void should_write_file_spellings_when_serialized_by_any_mapper() throws Exception {
        // given: a plain mapper, as other modules would use
        ObjectMapper mapper = new ObjectMapper();
        BackendConfig backend = new BackendConfig(BackendConfig.Type.mock, null, "m", null, Duration.ofMillis(1500), null);
        MetaModelConfig meta = new MetaModelConfig(MetaModelConfig.Type.openai_embeddings, null, null, null, "http://e", "e", null, null);

        // when
        String backendJson = mapper.writeValueAsString(backend);
        String metaJson = mapper.writeValueAsString(meta);

        // then
        assertThat(backendJson).contains("\"timeout\":\"1500ms\"", "\"type\":\"mock\"");
        assertThat(metaJson).contains("\"type\":\"openai-embeddings\"");
        assertThat(mapper.readValue(backendJson, BackendConfig.class)).isEqualTo(backend);
        assertThat(mapper.readValue(metaJson, MetaModelConfig.class)).isEqualTo(meta);
    }

    @Test
    void should_round_trip_whole_config_when_written_and_read_back() throws Exception {
        // given
        ObjectMapper mapper = new ObjectMapper();
        EtrConfig config = EmbeddedDefaults.config(Map.of("ETR_API_KEYS", "a,b"), false);

        // when
        EtrConfig back = mapper.readValue(mapper.writeValueAsString(config), EtrConfig.class);

        // then
        assertThat(back).isEqualTo(config);
    }
}
