package dev.etr.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API over real HTTP against a real trained router (embedded bge-small): adding an expert trains only its
 * token, and every bad request is answered in OpenAI's error shape, naming the field, with nothing changed.
 */
class AdminApiTest {

    private static Path stateDir;
    private static RuntimeGateway etr;

    @BeforeAll
    static void start() throws Exception {
        stateDir = Files.createTempDirectory("etr-admin-state");
        etr = new RuntimeGateway(stateDir, Files.createTempDirectory("etr-admin-cache"));
    }

    @AfterAll
    static void stop() throws Exception {
        etr.close();
    }

    @AfterEach
    void removeRuntimeExperts() {
        JsonArray data = new JsonObject(etr.admin("GET", "/admin/experts", null).body()).getJsonArray("data");
        for (int i = 0; i < data.size(); i++) {
            JsonObject expert = data.getJsonObject(i);
            if ("runtime".equals(expert.getString("source"))) {
                assertThat(etr.admin("DELETE", "/admin/experts/" + expert.getString("name"), null).statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void should_route_tax_questions_to_the_new_expert_and_keep_every_other_row_when_an_expert_with_100_examples_is_added() {
        var before = etr.runtime.snapshot().head();
        String mathQuestion = "What is the integral of x^2 from 0 to 3?";
        String mathBefore = etr.route(mathQuestion);

        long start = System.nanoTime();
        HttpResponse<String> added = etr.admin("POST", "/admin/experts",
                RuntimeGateway.taxExpert("tax-v1", RuntimeGateway.taxExamples()).encode());
        long addMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        JsonObject body = new JsonObject(added.body());
        JsonObject report = body.getJsonObject("report");
        System.out.printf("ETR-MEASURE add expert with %d examples: %d ms over HTTP (encode %d ms, train %d ms); "
                        + "held-out accuracy %.4f on %d held-out examples; captured %s of %s existing examples%n",
                report.getInteger("examples"), addMs, report.getLong("encode_ms"), report.getLong("train_ms"),
                report.getDouble("held_out_accuracy"), report.getInteger("held_out"),
                report.getJsonObject("captured_existing").getInteger("examples"),
                report.getJsonObject("captured_existing").getInteger("of"));
        assertThat(body.getString("source")).isEqualTo("runtime");
        assertThat(body.getInteger("examples")).isEqualTo(100);
        assertThat(report.getString("mode")).isEqualTo("extend");
        assertThat(report.getInteger("held_out")).isEqualTo(20);
        assertThat(report.getInteger("trained_on")).isEqualTo(80);
        assertThat(report.getDouble("held_out_accuracy")).isGreaterThanOrEqualTo(0.9);
        assertThat(report.getBoolean("other_tokens_unchanged")).isTrue();
        assertThat(addMs).isLessThan(30_000);

        var after = etr.runtime.snapshot().head();
        for (String token : before.tokens()) {
            assertThat(after.row(after.indexOf(token))).isEqualTo(before.row(before.indexOf(token)));
            assertThat(Float.floatToRawIntBits(after.bias(after.indexOf(token))))
                    .isEqualTo(Float.floatToRawIntBits(before.bias(before.indexOf(token))));
        }
        assertThat(etr.route("Can I deduct my home office on my income tax return?")).isEqualTo("tax");
        assertThat(etr.route(mathQuestion)).isEqualTo(mathBefore).isEqualTo("math");

        HttpResponse<String> chat = etr.chat("How much tax will I owe on capital gains from selling shares?");
        assertThat(chat.statusCode()).isEqualTo(200);
        assertThat(chat.headers().firstValue("x-etr-expert")).hasValue("tax");
        assertThat(new JsonObject(chat.body()).getString("model")).isEqualTo("tax-v1");
        assertThat(new JsonObject(etr.send("GET", "/v1/models", null).body()).getJsonArray("data").stream()
                .map(m -> ((JsonObject) m).getString("id"))).contains("tax");
    }

    @Test
    void should_list_each_expert_with_its_source_and_example_count_when_get_is_called() {
        etr.admin("POST", "/admin/experts", RuntimeGateway.taxExpert("tax-v1", RuntimeGateway.taxExamples().subList(0, 10)).encode());

        JsonObject list = new JsonObject(etr.admin("GET", "/admin/experts", null).body());
        JsonObject one = new JsonObject(etr.admin("GET", "/admin/experts/math", null).body());

        assertThat(list.getJsonArray("data").stream().map(e -> ((JsonObject) e).getString("name") + ":"
                + ((JsonObject) e).getString("source") + ":" + ((JsonObject) e).getInteger("examples")))
                .containsExactly("math:config:8", "code:config:8", "tax:runtime:10");
        assertThat(one.getString("declared_in")).isEqualTo(RuntimeGateway.CONFIG_SOURCE);
        assertThat(list.getJsonArray("data").getJsonObject(2).getJsonObject("report").getInteger("held_out")).isEqualTo(2);
    }

    @Test
    void should_retrain_the_token_and_serve_the_new_backend_when_a_runtime_expert_is_replaced() {
        etr.admin("POST", "/admin/experts", RuntimeGateway.taxExpert("tax-v1", RuntimeGateway.taxExamples().subList(0, 30)).encode());

        HttpResponse<String> replaced = etr.admin("PUT", "/admin/experts/tax",
                new JsonObject().put("backend", new JsonObject().put("type", "mock").put("model", "tax-v2"))
                        .put("examples", new JsonArray(RuntimeGateway.taxExamples().subList(30, 100))).encode());

        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        assertThat(new JsonObject(replaced.body()).getInteger("examples")).isEqualTo(70);
        assertThat(new JsonObject(replaced.body()).getString("description")).isEqualTo("Tax law and returns");
        HttpResponse<String> chat = etr.chat("Is there a tax credit for childcare costs?");
        assertThat(new JsonObject(chat.body()).getString("model")).isEqualTo("tax-v2");
    }

    @Test
    void should_answer_200_and_route_jointly_when_the_router_is_retrained() {
        etr.admin("POST", "/admin/experts", RuntimeGateway.taxExpert("tax-v1", RuntimeGateway.taxExamples().subList(0, 20)).encode());

        HttpResponse<String> retrained = etr.admin("POST", "/admin/router/retrain", null);

        assertThat(retrained.statusCode()).as(retrained.body()).isEqualTo(200);
        JsonObject report = new JsonObject(retrained.body());
        assertThat(report.getString("mode")).isEqualTo("joint");
        assertThat(report.getInteger("tokens")).isEqualTo(4);
        assertThat(etr.route("What tax form do I need for a rental property?")).isEqualTo("tax");
    }

    @Test
    void should_serialise_concurrent_adds_when_two_clients_add_the_same_name_at_once() {
        String body = RuntimeGateway.taxExpert("tax-v1", RuntimeGateway.taxExamples().subList(0, 10)).encode();

        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> etr.admin("POST", "/admin/experts", body).statusCode()));
        }

        assertThat(calls.stream().map(CompletableFuture::join)).containsExactlyInAnyOrder(201, 409);
        assertThat(etr.runtime.snapshot().head().tokens()).containsOnlyOnce("tax");
    }

    // --- bad input: status, OpenAI error shape, the field named, nothing changed ---

    @Test
    void should_answer_409_and_change_nothing_when_the_name_is_already_added() {
        etr.admin("POST", "/admin/experts", RuntimeGateway.taxExpert("tax-v1", RuntimeGateway.taxExamples().subList(0, 10)).encode());
        long version = etr.runtime.snapshot().version();

        HttpResponse<String> again = etr.admin("POST", "/admin/experts",
                RuntimeGateway.taxExpert("tax-v9", RuntimeGateway.taxExamples().subList(10, 20)).encode());

        assertError(again, 409, "name", "expert_exists", "already registered");
        assertThat(etr.runtime.snapshot().version()).isEqualTo(version);
        assertThat(new JsonObject(etr.chat("Can I deduct medical expenses on my income tax return?").body())
                .getString("model")).isEqualTo("tax-v1");
    }

    @Test
    void should_answer_409_naming_the_configuration_when_a_configured_expert_is_added_changed_or_deleted() {
        assertUnchanged(() -> {
            HttpResponse<String> add = etr.admin("POST", "/admin/experts", RuntimeGateway.taxExpert("x", List.of("a"))
                    .put("name", "math").encode());
            HttpResponse<String> put = etr.admin("PUT", "/admin/experts/math",
                    new JsonObject().put("examples", new JsonArray().add("What is 2+2?")).encode());
            HttpResponse<String> delete = etr.admin("DELETE", "/admin/experts/code", null);

            assertError(add, 409, "name", "expert_in_config", "declared in the configuration (etr-test.yaml)");
            assertError(put, 409, "name", "expert_in_config", "declared in the configuration (etr-test.yaml)");
            assertError(delete, 409, "name", "expert_in_config", "declared in the configuration (etr-test.yaml)");
        });
    }

    @Test
    void should_answer_400_naming_examples_when_examples_are_missing_or_empty() {
        assertUnchanged(() -> {
            assertError(etr.admin("POST", "/admin/experts", RuntimeGateway.taxExpert("t", List.of()).encode()),
                    400, "examples", null, "Missing 'examples'");
            assertError(etr.admin("POST", "/admin/experts", RuntimeGateway.taxExpert("t", List.of()).put("examples", null).encode()),
                    400, "examples", null, "Missing 'examples'");
            assertError(etr.admin("POST", "/admin/experts", RuntimeGateway.taxExpert("t", List.of("ok", " ")).encode()),
                    400, "examples[1]", null, "non-empty string");
        });
    }

    @Test
    void should_answer_400_naming_the_base_url_when_it_is_not_an_http_url() {
        JsonObject expert = RuntimeGateway.taxExpert("t", List.of("Tax?"))
                .put("backend", new JsonObject().put("type", "openai").put("baseUrl", "htp:/nowhere").put("model", "m"));

        assertUnchanged(() -> assertError(etr.admin("POST", "/admin/experts", expert.encode()),
                400, "backend.baseUrl", null, "\"htp:/nowhere\" is not an http(s) URL"));
    }

    @Test
    void should_answer_400_naming_the_type_when_the_backend_type_is_unknown() {
        JsonObject expert = RuntimeGateway.taxExpert("t", List.of("Tax?"))
                .put("backend", new JsonObject().put("type", "grpc").put("baseUrl", "http://127.0.0.1:1/v1"));

        assertUnchanged(() -> assertError(etr.admin("POST", "/admin/experts", expert.encode()),
                400, "backend.type", null, "'grpc' is not a backend type etr knows; use one of openai, mock"));
    }

    @Test
    void should_answer_400_naming_the_field_when_the_name_is_invalid_or_a_field_unknown() {
        assertUnchanged(() -> {
            assertError(etr.admin("POST", "/admin/experts", RuntimeGateway.taxExpert("t", List.of("a")).put("name", "Tax Law").encode()),
                    400, "name", null, "must match");
            assertError(etr.admin("POST", "/admin/experts", RuntimeGateway.taxExpert("t", List.of("a")).put("name", "auto").encode()),
                    400, "name", null, "reserved");
            assertError(etr.admin("POST", "/admin/experts", RuntimeGateway.taxExpert("t", List.of("a")).put("exemples", 1).encode()),
                    400, "exemples", null, "Unknown parameter");
            assertError(etr.admin("POST", "/admin/experts", "{\"name\":"), 400, null, null, "could not parse the JSON");
        });
    }

    @Test
    void should_answer_413_when_the_body_is_over_the_limit() {
        List<String> huge = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {  // ~460 KB, over the fixture's 256 KiB limit
            huge.add("An example request long enough to fill the body quickly, number " + i);
        }

        assertUnchanged(() -> assertError(etr.admin("POST", "/admin/experts", RuntimeGateway.taxExpert("t", huge).encode()),
                413, null, "request_too_large", "larger than the limit"));
    }

    @Test
    void should_answer_404_when_the_expert_does_not_exist() {
        assertUnchanged(() -> {
            assertError(etr.admin("GET", "/admin/experts/astrology", null), 404, "name", "expert_not_found", "No expert named 'astrology'");
            assertError(etr.admin("DELETE", "/admin/experts/astrology", null), 404, "name", "expert_not_found", "No expert named");
            assertError(etr.admin("PUT", "/admin/experts/astrology", "{}"), 404, "name", "expert_not_found", "No expert named");
        });
    }

    @Test
    void should_leave_the_registry_as_it_was_when_the_change_cannot_be_persisted() throws Exception {
        Path blocker = stateDir.resolve("experts.json.tmp");
        Files.createDirectories(blocker);  // the temporary file cannot be written: the save fails
        try {
            assertUnchanged(() -> assertThat(etr.admin("POST", "/admin/experts",
                    RuntimeGateway.taxExpert("tax-v1", RuntimeGateway.taxExamples().subList(0, 10)).encode()).statusCode())
                    .isEqualTo(500));
            assertThat(etr.route("Can I deduct charitable donations on my income tax return?")).isNotEqualTo("tax");
        } finally {
            Files.delete(blocker);
        }
    }

    // --- authentication ---

    @Test
    void should_answer_401_when_the_admin_key_is_wrong_or_missing() {
        HttpResponse<String> wrong = etr.send("GET", "/admin/experts", null, "Authorization", "Bearer nope");
        HttpResponse<String> missing = etr.send("POST", "/admin/experts", "{}");

        assertError(wrong, 401, null, "invalid_admin_key", "Incorrect or missing admin key");
        assertError(missing, 401, null, "invalid_admin_key", "Incorrect or missing admin key");
    }

    @Test
    void should_answer_403_saying_how_to_enable_it_when_no_admin_key_is_configured() {
        try (GatewayFixture plain = GatewayFixture.start()) {
            HttpResponse<String> response = plain.get("/admin/experts", "Authorization", "Bearer anything");

            assertError(response, 403, null, "admin_disabled", "setting the environment variable ETR_ADMIN_KEY");
        }
    }

    private static void assertUnchanged(Runnable requests) {
        long version = etr.runtime.snapshot().version();
        String listing = etr.admin("GET", "/admin/experts", null).body();
        requests.run();
        assertThat(etr.runtime.snapshot().version()).isEqualTo(version);
        assertThat(etr.admin("GET", "/admin/experts", null).body()).isEqualTo(listing);
    }

    static void assertError(HttpResponse<String> response, int status, String param, String code, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonObject error = new JsonObject(response.body()).getJsonObject("error");
        assertThat(error.fieldNames()).containsExactlyInAnyOrder("message", "type", "param", "code");
        assertThat(error.getString("type")).isEqualTo(status >= 500 ? "server_error" : "invalid_request_error");
        assertThat(error.getString("param")).isEqualTo(param);
        assertThat(error.getString("code")).isEqualTo(code);
        assertThat(error.getString("message")).contains(message);
    }
}
