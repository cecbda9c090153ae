package dev.etr.gateway.cli;

import dev.etr.config.BackendConfig;
import dev.etr.config.EtrConfig;
import dev.etr.config.ExpertConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigOptionsTest {

    private static final String YAML = """
            generalist:
              backend: { type: openai, baseUrl: "http://127.0.0.1:11434/v1", model: llama3.1 }
            experts:
              - name: astronomy
                description: Stars and planets
                systemPrompt: You are an astronomer.
                backend: { type: openai, baseUrl: "http://127.0.0.1:9001/v1", model: astro, apiKey: secret }
                examples: ["How far away is the Andromeda galaxy?"]
            """;

    @TempDir
    Path dir;

    @Test
    void should_keep_the_configured_backends_when_not_in_demo_mode() throws IOException {
        ConfigOptions options = new ConfigOptions();
        options.config = Files.writeString(dir.resolve("etr.yaml"), YAML);

        EtrConfig config = options.load();

        assertThat(config.experts().get(0).backend().type()).isEqualTo(BackendConfig.Type.openai);
    }

    @Test
    void should_replace_every_backend_by_a_mock_when_in_demo_mode() throws IOException {
        ConfigOptions options = new ConfigOptions();
        options.config = Files.writeString(dir.resolve("etr.yaml"), YAML);
        options.demo = true;

        EtrConfig config = options.load();

        assertThat(config.generalist().backend().type()).isEqualTo(BackendConfig.Type.mock);
        ExpertConfig astronomy = config.experts().get(0);
        assertThat(astronomy.backend().type()).isEqualTo(BackendConfig.Type.mock);
        assertThat(astronomy.systemPrompt()).isEqualTo("You are an astronomer.");
        assertThat(astronomy.examples()).containsExactly("How far away is the Andromeda galaxy?");
    }

    @Test
    void should_exit_2_with_the_configuration_errors_when_the_config_is_invalid() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), YAML.replace("http://127.0.0.1:9001/v1", "htp:/x"));
        StringWriter err = new StringWriter();
        CommandLine etr = Etr.commandLine().setErr(new PrintWriter(err));

        int code = etr.execute("serve", "--config", bad.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("etr: ").contains("experts[0].backend.baseUrl").doesNotContain("\tat ");
    }
}
