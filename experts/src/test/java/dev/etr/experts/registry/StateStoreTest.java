package dev.etr.experts.registry;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.etr.config.BackendConfig;
import dev.etr.config.ConfigException;
import dev.etr.config.ExpertConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateStoreTest {

    @TempDir
    Path dir;

    private static StateStore.State state(String name) {
        ExpertConfig expert = new ExpertConfig(name, "Tax law", new BackendConfig(BackendConfig.Type.openai,
                "http://127.0.0.1:9001/v1", "tax-model", "sk-secret", Duration.ofSeconds(30), Map.of("X-Team", "tax")),
                List.of("Can I deduct my home office?", "Is a company car taxed?"), null, "Be precise.");
        return new StateStore.State(StateStore.FORMAT, List.of(new StateStore.RuntimeExpert(expert,
                JsonNodeFactory.instance.objectNode().put("held_out_accuracy", 1.0))), null);
    }

    @Test
    void should_read_back_what_was_saved_when_saved_then_loaded() {
        StateStore store = new StateStore(dir.resolve("state"));
        store.save(state("tax"));

        StateStore.State loaded = store.load();

        assertThat(loaded.experts()).hasSize(1);
        assertThat(loaded.experts().get(0).config()).isEqualTo(state("tax").experts().get(0).config());
        assertThat(loaded.experts().get(0).config().backend().apiKey()).isEqualTo("sk-secret");
        assertThat(loaded.experts().get(0).report().path("held_out_accuracy").asDouble()).isEqualTo(1.0);
        assertThat(Files.exists(dir.resolve("state/experts.json.tmp"))).isFalse();
    }

    @Test
    void should_replace_the_whole_file_when_saved_twice() {
        StateStore store = new StateStore(dir);
        store.save(state("tax"));
        store.save(state("vat"));

        assertThat(store.load().experts()).extracting(e -> e.config().name()).containsExactly("vat");
    }

    @Test
    void should_be_empty_when_there_is_no_file_yet() {
        assertThat(new StateStore(dir).load().experts()).isEmpty();
    }

    @Test
    void should_name_the_file_and_say_it_is_truncated_when_it_was_cut_short() throws Exception {
        StateStore store = new StateStore(dir);
        store.save(state("tax"));
        byte[] whole = Files.readAllBytes(store.file());
        Files.write(store.file(), java.util.Arrays.copyOf(whole, whole.length / 3));

        assertThatThrownBy(store::load).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(store.file().toString() + ": ")
                .hasMessageContaining("line ").hasMessageContaining("truncated");
    }

    @Test
    void should_name_the_field_when_a_stored_expert_is_invalid() throws Exception {
        StateStore store = new StateStore(dir);
        store.save(state("tax"));
        Files.writeString(store.file(), Files.readString(store.file()).replace("http://127.0.0.1:9001/v1", "htp:/x"));

        assertThatThrownBy(store::load).isInstanceOf(ConfigException.class)
                .hasMessageContaining(store.file().toString())
                .hasMessageContaining("experts[0].backend.baseUrl: \"htp:/x\" is not an http(s) URL");
    }

    @Test
    void should_refuse_an_empty_file_when_one_is_found() throws Exception {
        StateStore store = new StateStore(dir);
        Files.createFile(store.file());

        assertThatThrownBy(store::load).hasMessageContaining("the file is empty");
    }
}
