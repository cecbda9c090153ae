package dev.etr.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.etr.config.ConfigException;
import dev.etr.config.ConfigValidator;
import dev.etr.config.EtrConfig;
import dev.etr.config.ExpertConfig;
import dev.etr.experts.ExpertRegistry;
import dev.etr.experts.ExpertRegistry.Entry;
import dev.etr.experts.ExpertRegistry.Source;
import dev.etr.experts.registry.StateStore;
import dev.etr.experts.registry.StateStore.RuntimeExpert;
import dev.etr.router.ExpertTokenRouter;
import dev.etr.router.RoutingDecision;
import dev.etr.router.head.ExpertHead;
import dev.etr.router.head.HeadTrainer;
import dev.etr.router.head.TrainingSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * The runtime side of the registry: experts added, replaced and removed while the gateway serves, each change trained
 * into the routing head, persisted, and installed as one immutable {@link Snapshot} (head and backends together).
 *
 * <p>Every method that changes something blocks (encoding, training, fsync) and is {@code synchronized}: changes are
 * serialised, and the admin API calls them on its own one-thread worker pool, never on an event loop. A change that
 * fails at any step (bad input, training, persistence) leaves the snapshot, the registry and the state file as they
 * were.
 */
public final class RuntimeExperts {

    private static final Logger LOG = LoggerFactory.getLogger("etr");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Share of an added expert's examples kept out of training to validate it. */
    static final double HELD_OUT_SHARE = 0.2;
    private static final long SPLIT_SEED = 42;

    /** What a routed request needs, consistent by construction: the head and who serves each of its tokens. */
    public record Snapshot(ExpertHead head, ExpertRegistry.Snapshot experts) {
        public long version() {
            return experts.version();
        }
    }

    private final StateStore store;
    private final EtrConfig config;
    private final String configSource;
    private final StateStore.State restoredState;
    private final HeadTrainer trainer = new HeadTrainer(HeadTrainer.Options.defaults());

    private ExpertRegistry registry;
    private ExpertTokenRouter router;
    private String fingerprint;
    private volatile Snapshot current;
    /** Example texts and their embeddings per token of the current head; changed only under the lock. */
    private final Map<String, List<String>> texts = new LinkedHashMap<>();
    private final Map<String, List<float[]>> vectors = new LinkedHashMap<>();
    private final Map<String, JsonNode> reports = new LinkedHashMap<>();

    private RuntimeExperts(StateStore store, EtrConfig config, String configSource, StateStore.State state) {
        this.store = store;
        this.config = config;
        this.configSource = configSource;
        this.restoredState = state;
        state.experts().forEach(e -> reports.put(e.config().name(), e.report()));
    }

    /**
     * Reads the state directory. Refuses (with {@link ConfigException}: the path and what is wrong) a state file it
     * cannot fully read, and runtime experts whose names the configuration now declares.
     *
     * @param configSource where the configured experts are declared, named in 409 answers (a file name)
     */
    public static RuntimeExperts open(StateStore store, EtrConfig config, String configSource) {
        StateStore.State state = store.load();
        List<String> conflicts = new ArrayList<>();
        for (int i = 0; i < state.experts().size(); i++) {
            String name = state.experts().get(i).config().name();
            if (config.experts().stream().anyMatch(e -> e.name().equals(name))) {
                conflicts.add("experts[" + i + "].name: \"" + name + "\" is also declared in " + configSource
                        + "; remove it from one of the two");
            }
        }
        if (!conflicts.isEmpty()) {
            throw new ConfigException(store.file().toString(), conflicts);
        }
        return new RuntimeExperts(store, config, configSource, state);
    }

    /** The runtime experts read from the state directory, to build the registry with. */
    public List<ExpertConfig> restored() {
        return restoredState.experts().stream().map(RuntimeExpert::config).toList();
    }

    public StateStore store() {
        return store;
    }

    String configSource() {
        return configSource;
    }

    synchronized void useRegistry(ExpertRegistry experts) {
        this.registry = experts;
    }

    /** The snapshot now; null until the router is loaded and the runtime experts restored into it. */
    public Snapshot snapshot() {
        return current;
    }

    /** Example count of a token, or -1 when unknown (not attached yet). */
    synchronized int exampleCount(String name) {
        List<String> list = texts.get(name);
        return list == null ? -1 : list.size();
    }

    synchronized JsonNode report(String name) {
        return reports.get(name);
    }

    /**
     * Takes over the freshly trained router (configured tokens only) and restores the runtime experts into it: their
     * persisted head when the configuration is unchanged since it was saved (so routing is exactly what it was),
     * else their tokens retrained in extend mode. Blocks (encoding).
     */
    synchronized void attach(ExpertTokenRouter trained) {
        if (registry == null) {
            throw new IllegalStateException("no registry: the gateway attaches one before loading the router");
        }
        this.router = trained;
        ExpertHead base = trained.head();
        fingerprint = fingerprint(trained);
        trained.exampleTexts().forEach((token, list) -> {
            texts.put(token, list);
            vectors.put(token, trained.exampleEncoder().embedAll(list));
        });
        List<String> runtimeNames = new ArrayList<>();
        for (ExpertConfig expert : restored()) {
            runtimeNames.add(expert.name());
            texts.put(expert.name(), expert.examples());
            vectors.put(expert.name(), trained.exampleEncoder().embedAll(expert.examples()));
        }
        ExpertHead head = base;
        ExpertHead saved = decode(restoredState.router(), base, runtimeNames);
        if (saved != null) {
            head = saved;
        } else if (!runtimeNames.isEmpty()) {
            LOG.info("the configuration changed since {} was saved: retraining the runtime experts' tokens", store.file());
            head = trainer.extend(base, runtimeNames, trainingSet(null, List.of()));
        }
        current = new Snapshot(head, registry.current());
        trained.swap(head);
        if (saved == null && !runtimeNames.isEmpty()) {
            persist(current);
        }
        if (!runtimeNames.isEmpty()) {
            LOG.info("restored {} runtime expert(s) from {}: {}", runtimeNames.size(), store.file(),
                    String.join(", ", runtimeNames));
        }
    }

    /** {@code POST /admin/experts}: registers, trains (extend mode), validates, persists, installs. */
    public synchronized JsonNode add(ExpertConfig requested) {
        Snapshot before = requireAttached();
        before.experts().entry(requested.name()).ifPresent(existing -> {
            throw conflict(existing, "is already registered");
        });
        ExpertConfig expert = inlineExamples(requested);
        return train(before, expert, before.experts().with(registry.build(expert, Source.RUNTIME)));
    }

    /**
     * {@code PUT /admin/experts/{name}}: replaces a runtime expert (backend, description, examples…); its token is
     * retrained when its examples changed, and only then.
     */
    public synchronized JsonNode replace(ExpertConfig replacement) {
        Snapshot before = requireAttached();
        Entry existing = existing(before, replacement.name());
        if (existing.source() == Source.CONFIG) {
            throw conflict(existing, "cannot be changed through the API");
        }
        ExpertConfig expert = inlineExamples(replacement);
        ExpertRegistry.Snapshot experts = before.experts().with(registry.build(expert, Source.RUNTIME));
        if (expert.examples().equals(existing.config().examples())) {
            Snapshot next = new Snapshot(before.head(), experts);
            persist(next);
            install(next);
            return reports.get(expert.name());
        }
        return train(before, expert, experts);
    }

    /** {@code DELETE /admin/experts/{name}}: removes a runtime expert and its token; every other row unchanged. */
    public synchronized void remove(String name) {
        Snapshot before = requireAttached();
        Entry existing = existing(before, name);
        if (existing.source() == Source.CONFIG) {
            throw conflict(existing, "cannot be deleted through the API");
        }
        Snapshot next = new Snapshot(before.head().withoutToken(name), before.experts().without(name));
        persistWithout(next, name);
        texts.remove(name);
        vectors.remove(name);
        reports.remove(name);
        install(next);
    }

    /** {@code POST /admin/router/retrain}: one joint retrain of every token from all examples. */
    public synchronized JsonNode retrain() {
        Snapshot before = requireAttached();
        long start = System.nanoTime();
        List<String> tokens = before.head().tokens();
        TrainingSet set = trainingSet(null, List.of());
        ExpertHead head = trainer.trainJoint(tokens, set, before.head().threshold());
        long trainMs = (System.nanoTime() - start) / 1_000_000;
        int correct = 0;
        for (int i = 0; i < set.size(); i++) {
            if (head.tokens().get(head.predict(set.vectors().get(i))).equals(set.labels().get(i))) {
                correct++;
            }
        }
        Snapshot next = new Snapshot(head, before.experts().next());
        persist(next);
        install(next);
        ObjectNode report = JSON.createObjectNode();
        report.put("mode", "joint");
        report.put("tokens", tokens.size());
        report.put("examples", set.size());
        report.put("training_accuracy", round((double) correct / set.size()));
        report.put("train_ms", trainMs);
        report.put("snapshot", next.version());
        LOG.info("joint retrain of {} tokens on {} examples in {} ms", tokens.size(), set.size(), trainMs);
        return report;
    }

    private JsonNode train(Snapshot before, ExpertConfig expert, ExpertRegistry.Snapshot experts) {
        String name = expert.name();
        long start = System.nanoTime();
        List<float[]> encoded = router.exampleEncoder().embedAll(expert.examples());
        long encodeMs = (System.nanoTime() - start) / 1_000_000;

        int n = encoded.size();
        int heldOutCount = n >= 2 ? Math.max(1, (int) Math.round(n * HELD_OUT_SHARE)) : 0;
        int[] order = shuffled(n, SPLIT_SEED);
        List<float[]> train = new ArrayList<>();
        List<float[]> heldOut = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            (j < heldOutCount ? heldOut : train).add(encoded.get(order[j]));
        }

        long trainStart = System.nanoTime();
        ExpertHead base = before.head();
        ExpertHead head = trainer.extend(base, List.of(name), trainingSet(name, train));
        long trainMs = (System.nanoTime() - trainStart) / 1_000_000;
        boolean unchanged = otherRowsUnchanged(base, head, name);
        if (!unchanged) {
            throw new IllegalStateException("extend training moved a row other than '" + name + "'");
        }

        int token = head.indexOf(name);
        int right = 0;
        for (float[] x : heldOut) {
            right += head.predict(x) == token ? 1 : 0;
        }
        ObjectNode captured = JSON.createObjectNode();
        int capturedTotal = 0;
        int existingTotal = 0;
        for (Map.Entry<String, List<float[]>> other : vectors.entrySet()) {
            if (other.getKey().equals(name)) {
                continue;
            }
            int count = 0;
            for (float[] x : other.getValue()) {
                count += head.predict(x) == token ? 1 : 0;
            }
            existingTotal += other.getValue().size();
            capturedTotal += count;
            if (count > 0) {
                captured.put(other.getKey(), count);
            }
        }

        ObjectNode report = JSON.createObjectNode();
        report.put("mode", "extend");
        report.put("examples", n);
        report.put("trained_on", train.size());
        report.put("held_out", heldOut.size());
        if (heldOut.isEmpty()) {
            report.putNull("held_out_accuracy");
        } else {
            report.put("held_out_accuracy", round((double) right / heldOut.size()));
        }
        ObjectNode capture = report.putObject("captured_existing");
        capture.put("examples", capturedTotal);
        capture.put("of", existingTotal);
        capture.set("by_expert", captured);
        report.put("other_tokens_unchanged", true);
        report.put("encode_ms", encodeMs);
        report.put("train_ms", trainMs);

        Snapshot next = new Snapshot(head, experts);
        Map<String, JsonNode> nextReports = new LinkedHashMap<>(reports);
        nextReports.put(name, report);
        report.put("total_ms", (System.nanoTime() - start) / 1_000_000);  // before persisting: training cost only
        persist(next, nextReports, name, expert);
        texts.put(name, expert.examples());
        vectors.put(name, encoded);
        reports.put(name, report);
        install(next);
        report.put("snapshot", next.version());
        LOG.info("expert '{}' trained on {} examples (held-out accuracy {}) in {} ms; snapshot {}", name, n,
                report.get("held_out_accuracy"), report.get("total_ms"), next.version());
        return report;
    }

    /** Every example of every token but {@code trained}, plus {@code trainedVectors} labelled {@code trained}. */
    private TrainingSet trainingSet(String trained, List<float[]> trainedVectors) {
        List<float[]> xs = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        vectors.forEach((token, list) -> {
            if (!token.equals(trained)) {
                xs.addAll(list);
                labels.addAll(Collections.nCopies(list.size(), token));
            }
        });
        if (trained != null) {
            xs.addAll(trainedVectors);
            labels.addAll(Collections.nCopies(trainedVectors.size(), trained));
        }
        return new TrainingSet(xs, labels);
    }

    private void install(Snapshot next) {
        current = next;
        registry.install(next.experts());
        router.swap(next.head());
    }

    private Snapshot requireAttached() {
        Snapshot snapshot = current;
        if (snapshot == null || router == null) {
            throw ApiError.notReady();
        }
        return snapshot;
    }

    private Entry existing(Snapshot snapshot, String name) {
        return snapshot.experts().entry(name).orElseThrow(() -> ApiError.admin(404, "No expert named '" + name
                + "'. GET /admin/experts lists them; POST /admin/experts adds one.", "name", "expert_not_found"));
    }

    private ApiError conflict(Entry existing, String what) {
        String message = existing.source() == Source.CONFIG
                ? "The expert '" + existing.name() + "' is declared in the configuration (" + configSource
                + ") and " + (what.startsWith("is already") ? "that name is taken" : what)
                + "; edit the configuration and restart to change it."
                : "The expert '" + existing.name() + "' " + what + " (added at runtime); PUT /admin/experts/"
                + existing.name() + " replaces it, DELETE removes it.";
        return ApiError.admin(409, message, "name", existing.source() == Source.CONFIG ? "expert_in_config" : "expert_exists");
    }

    /** The expert with its examples file read and inlined (the state must not depend on a file that may go). */
    private static ExpertConfig inlineExamples(ExpertConfig expert) {
        try {
            ConfigValidator.validate(expert);
        } catch (ConfigException e) {
            throw AdminApi.invalid(e);
        }
        List<String> all = expert.allExamples();
        return new ExpertConfig(expert.name(), expert.description(), expert.backend(), all, null, expert.systemPrompt());
    }

    private void persist(Snapshot next) {
        persist(next, reports, null, null);
    }

    private void persistWithout(Snapshot next, String removed) {
        Map<String, JsonNode> without = new LinkedHashMap<>(reports);
        without.remove(removed);
        persist(next, without, null, null);
    }

    private void persist(Snapshot next, Map<String, JsonNode> withReports, String name, ExpertConfig changed) {
        List<RuntimeExpert> runtime = new ArrayList<>();
        for (Entry entry : next.experts().entries()) {
            if (entry.source() == Source.RUNTIME) {
                ExpertConfig stored = entry.name().equals(name) ? changed : entry.config();
                runtime.add(new RuntimeExpert(stored, withReports.get(entry.name())));
            }
        }
        store.save(new StateStore.State(StateStore.FORMAT, runtime, encode(next.head())));
    }

    private ObjectNode encode(ExpertHead head) {
        ObjectNode node = JSON.createObjectNode();
        node.put("fingerprint", fingerprint);
        node.put("dimension", head.dimension());
        node.put("scale", head.scale());
        node.put("threshold", head.threshold());
        var tokens = node.putArray("tokens");
        ByteBuffer rows = ByteBuffer.allocate(head.size() * head.dimension() * 4).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer biases = ByteBuffer.allocate(head.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < head.size(); k++) {
            tokens.add(head.tokens().get(k));
            for (float f : head.row(k)) {
                rows.putFloat(f);
            }
            biases.putFloat(head.bias(k));
        }
        node.put("rows", Base64.getEncoder().encodeToString(rows.array()));
        node.put("biases", Base64.getEncoder().encodeToString(biases.array()));
        return node;
    }

    /** The persisted head, if it was trained for this very configuration and these runtime experts; else null. */
    private ExpertHead decode(JsonNode node, ExpertHead base, List<String> runtimeNames) {
        if (node == null || node.isNull() || !fingerprint.equals(node.path("fingerprint").asText())) {
            return null;
        }
        try {
            List<String> tokens = new ArrayList<>();
            node.path("tokens").forEach(t -> tokens.add(t.asText()));
            var expected = new HashSet<>(base.tokens());
            expected.addAll(runtimeNames);
            int d = node.path("dimension").asInt();
            if (!expected.equals(new HashSet<>(tokens)) || d != base.dimension()) {
                return null;
            }
            ByteBuffer rows = ByteBuffer.wrap(Base64.getDecoder().decode(node.path("rows").asText()))
                    .order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer biasBytes = ByteBuffer.wrap(Base64.getDecoder().decode(node.path("biases").asText()))
                    .order(ByteOrder.LITTLE_ENDIAN);
            List<float[]> rowList = new ArrayList<>();
            float[] biases = new float[tokens.size()];
            for (int k = 0; k < tokens.size(); k++) {
                float[] row = new float[d];
                for (int c = 0; c < d; c++) {
                    row[c] = rows.getFloat();
                }
                rowList.add(row);
                biases[k] = biasBytes.getFloat();
            }
            return ExpertHead.of(tokens, rowList, biases, (float) node.path("scale").asDouble(),
                    node.path("threshold").asDouble());
        } catch (RuntimeException e) {
            LOG.warn("the routing head saved in {} is unreadable ({}); retraining the runtime experts' tokens",
                    store.file(), e.toString());
            return null;
        }
    }

    /** Identifies what the configured tokens were trained from: a saved head is reused only for the same. */
    private String fingerprint(ExpertTokenRouter trained) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((trained.exampleEncoder().id() + "\n" + trained.head().dimension() + "\n"
                    + config.router().threshold() + "\n" + trained.head().scale() + "\n").getBytes(StandardCharsets.UTF_8));
            trained.exampleTexts().forEach((token, list) -> {
                sha.update((token + "\u0000").getBytes(StandardCharsets.UTF_8));
                list.forEach(text -> sha.update((text + "\u0001").getBytes(StandardCharsets.UTF_8)));
            });
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean otherRowsUnchanged(ExpertHead before, ExpertHead after, String trained) {
        for (int k = 0; k < before.size(); k++) {
            String token = before.tokens().get(k);
            if (token.equals(trained)) {
                continue;
            }
            int j = after.indexOf(token);
            if (j < 0 || !Arrays.equals(before.row(k), after.row(j))
                    || Float.floatToRawIntBits(before.bias(k)) != Float.floatToRawIntBits(after.bias(j))) {
                return false;
            }
        }
        return true;
    }

    private static int[] shuffled(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static double round(double x) {
        return Math.round(x * 10_000) / 10_000.0;
    }

    /** Names of the tokens of the current head (the generalist included), for logs. */
    String tokens() {
        Snapshot snapshot = current;
        return snapshot == null ? "" : snapshot.head().tokens().stream()
                .filter(t -> !RoutingDecision.GENERALIST.equals(t)).collect(Collectors.joining(", "));
    }
}
