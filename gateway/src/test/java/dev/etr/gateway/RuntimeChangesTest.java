package dev.etr.gateway;

import dev.etr.gateway.cli.ServeCli;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Changes under traffic, and what survives a restart (real embedded meta-model, mock LLM backends). */
class RuntimeChangesTest {

    private static final List<String> QUESTIONS = List.of(
            "Can I deduct my home office on my income tax return?", "What is the derivative of x^3?",
            "How do I reverse a linked list in Java?", "Is there a tax credit for childcare costs?",
            "How much tax will I owe on a rental property this year?", "Solve 3x - 7 = 11 for x.");

    @TempDir
    Path stateDir;
    @TempDir
    Path cacheDir;

    /** One answer seen by a client: which snapshot decided it, whom it routed to and which backend answered. */
    private record Seen(int status, String expert, String servedBy, long snapshot, String model, String body) {
    }

    @Test
    void should_serve_every_request_from_one_consistent_snapshot_when_an_expert_is_added_replaced_and_removed()
            throws Exception {
        try (RuntimeGateway etr = new RuntimeGateway(stateDir, cacheDir)) {
            List<Seen> seen = new CopyOnWriteArrayList<>();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(3);
            for (int c = 0; c < 3; c++) {
                int offset = c;
                clients.submit(() -> {
                    for (int i = offset; running.get(); i++) {
                        HttpResponse<String> r = etr.chat(QUESTIONS.get(i % QUESTIONS.size()));
                        String model = r.statusCode() == 200 ? new JsonObject(r.body()).getString("model") : null;
                        seen.add(new Seen(r.statusCode(), r.headers().firstValue("x-etr-expert").orElse(null),
                                r.headers().firstValue("x-etr-served-by").orElse(null),
                                Long.parseLong(r.headers().firstValue("x-etr-snapshot").orElse("-1")), model, r.body()));
                    }
                });
            }
            // what each snapshot version holds: the tax expert's backend model, or none
            Map<Long, String> taxModelAt = new ConcurrentHashMap<>();
            taxModelAt.put(etr.runtime.snapshot().version(), "none");
            waitForAnswers(seen, 10);

            HttpResponse<String> added = etr.admin("POST", "/admin/experts",
                    RuntimeGateway.taxExpert("tax-v1", RuntimeGateway.taxExamples().subList(0, 50)).encode());
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            taxModelAt.put(new JsonObject(added.body()).getJsonObject("report").getLong("snapshot"), "tax-v1");
            waitForAnswers(seen, seen.size() + 10);

            HttpResponse<String> replaced = etr.admin("PUT", "/admin/experts/tax", new JsonObject()
                    .put("backend", new JsonObject().put("type", "mock").put("model", "tax-v2")).encode());
            assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
            taxModelAt.put(etr.runtime.snapshot().version(), "tax-v2");
            waitForAnswers(seen, seen.size() + 10);

            HttpResponse<String> removed = etr.admin("DELETE", "/admin/experts/tax", null);
            assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
            taxModelAt.put(new JsonObject(removed.body()).getLong("snapshot"), "none");
            waitForAnswers(seen, seen.size() + 10);

            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

            assertThat(seen).allSatisfy(s -> {
                assertThat(s.status()).as(s.body()).isEqualTo(200);
                assertThat(taxModelAt).as("snapshot of %s", s).containsKey(s.snapshot());
                assertThat(s.servedBy()).isEqualTo(s.expert());
                String taxModel = taxModelAt.get(s.snapshot());
                if ("tax".equals(s.expert())) {
                    // routed to tax by a snapshot that has tax, and served by that snapshot's tax backend
                    assertThat(s.model()).as("%s", s).isEqualTo(taxModel).isNotEqualTo("none");
                } else {
                    assertThat(s.model()).isEqualTo(s.expert() + "-model").doesNotStartWith("tax");
                }
            });
            assertThat(seen).extracting(Seen::snapshot).containsAll(taxModelAt.keySet());
            assertThat(seen).filteredOn(s -> "tax".equals(s.expert())).extracting(Seen::model)
                    .contains("tax-v1", "tax-v2");
        }
    }

    @Test
    void should_make_the_same_routing_decisions_when_restarted_on_the_same_state_dir() throws Exception {
        List<String> questions = new ArrayList<>(QUESTIONS);
        questions.addAll(List.of("Do I pay tax on a company car?", "What is 17 squared?", "Why is my SQL query slow?"));
        List<String> before = new ArrayList<>();
        List<String> probabilitiesBefore = new ArrayList<>();
        try (RuntimeGateway etr = new RuntimeGateway(stateDir, cacheDir)) {
            assertThat(etr.admin("POST", "/admin/experts",
                    RuntimeGateway.taxExpert("tax-v1", RuntimeGateway.taxExamples().subList(0, 40)).encode()).statusCode())
                    .isEqualTo(201);
            for (String q : questions) {
                before.add(etr.route(q));
                probabilitiesBefore.add(etr.send("POST", "/v1/route", new JsonObject().put("text", q).encode()).body()
                        .replaceAll(",\"route_ms\":[0-9.E-]+", ""));
            }
        }

        try (RuntimeGateway restarted = new RuntimeGateway(stateDir, cacheDir)) {
            List<String> after = new ArrayList<>();
            List<String> probabilitiesAfter = new ArrayList<>();
            for (String q : questions) {
                after.add(restarted.route(q));
                probabilitiesAfter.add(restarted.send("POST", "/v1/route", new JsonObject().put("text", q).encode()).body()
                        .replaceAll(",\"route_ms\":[0-9.E-]+", ""));
            }

            assertThat(after).isEqualTo(before).contains("tax");
            assertThat(probabilitiesAfter).isEqualTo(probabilitiesBefore);
            JsonObject tax = new JsonObject(restarted.admin("GET", "/admin/experts/tax", null).body());
            assertThat(tax.getString("source")).isEqualTo("runtime");
            assertThat(tax.getInteger("examples")).isEqualTo(40);
            assertThat(tax.getJsonObject("report").getInteger("held_out")).isEqualTo(8);
            assertThat(new JsonObject(restarted.chat("Can I deduct mortgage interest on my income tax return?").body())
                    .getString("model")).isEqualTo("tax-v1");
        }
    }

    @Test
    void should_refuse_to_start_naming_the_file_when_the_state_file_is_truncated() throws Exception {
        try (RuntimeGateway etr = new RuntimeGateway(stateDir, cacheDir)) {
            etr.admin("POST", "/admin/experts",
                    RuntimeGateway.taxExpert("tax-v1", RuntimeGateway.taxExamples().subList(0, 10)).encode());
        }
        Path file = stateDir.resolve("experts.json");
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));

        ServeCli.Result result = ServeCli.serve("--demo", "--state-dir", stateDir.toString(), "--port", "0",
                "--cache-dir", cacheDir.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains(file.toAbsolutePath().toString()).contains("truncated")
                .contains("etr will not start without the runtime experts");
    }

    private static void waitForAnswers(List<Seen> seen, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (seen.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(seen.size()).isGreaterThanOrEqualTo(count);
    }
}
