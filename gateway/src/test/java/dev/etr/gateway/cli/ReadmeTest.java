package dev.etr.gateway.cli;

import dev.etr.config.BackendConfig;
import dev.etr.config.ConfigLoader;
import dev.etr.config.EtrConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's configuration example must stay a configuration etr accepts. */
class ReadmeTest {

    @TempDir
    Path dir;

    @Test
    void should_load_the_readme_configuration_example_when_its_files_and_variables_exist() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));  // tests run in the module directory
        int section = readme.indexOf("## Configuration for real backends");
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        String yaml = readme.substring(start, readme.indexOf("```", start));
        Path file = Files.writeString(dir.resolve("etr.yaml"), yaml);
        Files.writeString(dir.resolve("law.jsonl"), "{\"text\":\"Can my landlord keep my deposit?\"}\n");

        EtrConfig config = ConfigLoader.withEnv(Map.of("OPENAI_API_KEY", "sk-test")).load(file);

        assertThat(config.experts()).extracting(e -> e.name()).containsExactly("code", "law");
        assertThat(config.experts().get(1).backend().apiKey()).isEqualTo("sk-test");
        assertThat(config.generalist().backend().type()).isEqualTo(BackendConfig.Type.openai);
    }
}
