package dev.etr.gateway;

import dev.etr.gateway.cli.ServeCli;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./etr experts add|list|remove} against a running gateway. */
class ExpertsCliTest {

    @TempDir
    Path dir;

    @Test
    void should_add_list_and_remove_an_expert_when_the_cli_talks_to_a_running_gateway() throws Exception {
        Path examples = Files.writeString(dir.resolve("tax.jsonl"), RuntimeGateway.taxExamples().stream()
                .limit(20).map(t -> new JsonObject().put("text", t).encode()).collect(Collectors.joining("\n")));
        try (RuntimeGateway etr = new RuntimeGateway(dir.resolve("state"), dir.resolve("cache"))) {
            String url = etr.url("");
            String key = RuntimeGateway.ADMIN_KEY;

            ServeCli.Result added = ServeCli.run("experts", "add", "--url", url, "--admin-key", key, "--name", "tax",
                    "--type", "mock", "--model", "tax-cli", "--examples", examples.toString());
            ServeCli.Result listed = ServeCli.run("experts", "list", "--url", url, "--admin-key", key);
            ServeCli.Result wrongKey = ServeCli.run("experts", "list", "--url", url, "--admin-key", "nope");
            String routed = etr.route("Is there a tax credit for student loan interest?");
            ServeCli.Result removed = ServeCli.run("experts", "remove", "tax", "--url", url, "--admin-key", key);

            assertThat(added.exitCode()).as(added.err()).isZero();
            assertThat(new JsonObject(added.out()).getJsonObject("report").getInteger("examples")).isEqualTo(20);
            assertThat(listed.out()).contains("\"name\" : \"tax\"", "\"source\" : \"runtime\"");
            assertThat(wrongKey.exitCode()).isEqualTo(1);
            assertThat(wrongKey.err()).contains("HTTP 401", "invalid_admin_key");
            assertThat(routed).isEqualTo("tax");
            assertThat(removed.exitCode()).isZero();
            assertThat(etr.route("Is there a tax credit for student loan interest?")).isNotEqualTo("tax");
        }
    }
}
