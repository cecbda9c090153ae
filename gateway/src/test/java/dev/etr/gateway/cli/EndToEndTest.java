package dev.etr.gateway.cli;

import dev.etr.config.EtrConfig;
import dev.etr.config.ServerConfig;
import dev.etr.experts.ExpertRegistry;
import dev.etr.gateway.Gateway;
import dev.etr.router.ExpertTokenRouter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole chain with nothing faked but the LLMs: the embedded demo configuration with {@code --demo} mock
 * backends, the real trained {@link ExpertTokenRouter} (bge-small, in process), the gateway on a loopback port and
 * the {@code etr route} command on the same embedding cache.
 */
class EndToEndTest {

    private static Path cacheDir;
    private static Vertx vertx;
    private static ExpertRegistry experts;
    private static Gateway gateway;
    private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws IOException {
        cacheDir = Files.createTempDirectory("etr-e2e-cache");
        ConfigOptions options = new ConfigOptions();
        options.demo = true;
        options.cacheDir = cacheDir;
        EtrConfig config = options.load();
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        vertx = Gateway.vertx(metrics);
        experts = ExpertRegistry.fromConfig(vertx, config);
        ServerConfig server = new ServerConfig("127.0.0.1", 0, null, null, null);
        gateway = await(Gateway.start(vertx, server, experts, () -> ExpertTokenRouter.fromConfig(config, cacheDir), metrics));
        await(gateway.routerReady());
    }

    @AfterAll
    static void stop() throws Exception {
        await(gateway.close());
        if (gateway.routerReady().result() instanceof AutoCloseable router) {
            router.close();
        }
        await(experts.close());
        await(vertx.close());
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void should_answer_through_the_math_expert_when_a_math_question_is_routed() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions",
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"What is the derivative of x^3?\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-etr-expert")).hasValue("math");
        assertThat(response.headers().firstValue("x-etr-served-by")).hasValue("math");
        assertThat(Double.parseDouble(response.headers().firstValue("x-etr-confidence").orElseThrow())).isGreaterThan(0.5);
        assertThat(new JsonObject(response.body()).getJsonArray("choices").getJsonObject(0)
                .getJsonObject("message").getString("content")).startsWith("[MOCK ANSWER from etr's demo backend for expert \"math\"]");
    }

    @Test
    void should_stream_through_the_code_expert_when_a_coding_question_is_routed() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", "{\"model\":\"auto\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Why does my Java HashMap lose entries?\"}]}");

        assertThat(response.headers().firstValue("x-etr-expert")).hasValue("code");
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
        assertThat(response.body()).startsWith("data: {").endsWith("data: [DONE]\n\n");
    }

    @Test
    void should_decide_law_when_a_tenancy_question_is_sent_to_route() throws Exception {
        HttpResponse<String> response = post("/v1/route", "{\"text\":\"Can my landlord keep my deposit?\"}");

        JsonObject decision = new JsonObject(response.body());
        assertThat(decision.getString("expert")).isEqualTo("law");
        assertThat(decision.getJsonArray("probabilities")).hasSize(6);
        assertThat(decision.getDouble("route_ms")).isPositive();
    }

    @Test
    void should_print_the_decision_as_json_when_running_etr_route() {
        StringWriter out = new StringWriter();
        CommandLine etr = Etr.commandLine().setOut(new PrintWriter(out));

        int code = etr.execute("route", "--demo", "--cache-dir", cacheDir.toString(), "Is ibuprofen safe with alcohol?");

        assertThat(code).isZero();
        JsonObject decision = new JsonObject(out.toString());
        assertThat(decision.fieldNames()).containsExactly("expert", "confidence", "probabilities", "route_ms");
        assertThat(decision.getString("expert")).isEqualTo("medicine");
    }
}
