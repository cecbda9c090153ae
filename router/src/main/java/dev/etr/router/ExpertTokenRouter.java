package dev.etr.router;

import dev.etr.config.EtrConfig;
import dev.etr.config.ExpertConfig;
import dev.etr.router.cache.CachingMetaModel;
import dev.etr.router.cache.EmbeddingCache;
import dev.etr.router.head.ExpertHead;
import dev.etr.router.head.HeadTrainer;
import dev.etr.router.head.TrainingSet;
import dev.etr.router.meta.MetaModel;
import dev.etr.router.meta.MetaModels;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The production {@link Router}: a frozen meta-model plus an expert-token head trained from the configured examples.
 *
 * <p>The head is an immutable snapshot behind an atomic reference, so a routing call uses one consistent head from
 * start to end while {@link #swap} installs the next.
 */
public final class ExpertTokenRouter implements Router, AutoCloseable {

    /** Distinct request texts kept in memory: repeated requests skip the encoder entirely. */
    static final int REQUEST_CACHE_ENTRIES = 10_000;
    static final int EXAMPLE_CACHE_ENTRIES = 50_000;

    private final MetaModel requests;
    private final CachingMetaModel examples;
    private final ConversationRenderer renderer;
    private final AtomicReference<ExpertHead> head;
    private final Map<String, Integer> exampleCounts;
    private final Map<String, List<String>> exampleTexts;

    private ExpertTokenRouter(MetaModel requests, CachingMetaModel examples, ConversationRenderer renderer,
                              ExpertHead head, Map<String, List<String>> exampleTexts) {
        this.requests = requests;
        this.examples = examples;
        this.renderer = renderer;
        this.head = new AtomicReference<>(head);
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, List<String>> texts = new LinkedHashMap<>();
        exampleTexts.forEach((token, list) -> {
            counts.put(token, list.size());
            texts.put(token, List.copyOf(list));
        });
        this.exampleCounts = Collections.unmodifiableMap(counts);
        this.exampleTexts = Collections.unmodifiableMap(texts);
    }

    /**
     * Loads the configured meta-model and trains one token per expert plus the generalist token (from the
     * configured general examples, or the built-in ones). Example embeddings are cached on disk under
     * {@code cacheDir}, so a restart with unchanged examples encodes nothing.
     */
    public static ExpertTokenRouter fromConfig(EtrConfig config, Path cacheDir) {
        return fromConfig(config, MetaModels.create(config.router().metaModel()), cacheDir);
    }

    /** As {@link #fromConfig(EtrConfig, Path)} with an already-built meta-model. */
    public static ExpertTokenRouter fromConfig(EtrConfig config, MetaModel metaModel, Path cacheDir) {
        CachingMetaModel exampleModel = new CachingMetaModel(metaModel,
                EmbeddingCache.open(cacheDir, metaModel.id(), metaModel.dimension(), EXAMPLE_CACHE_ENTRIES));
        MetaModel requestModel = new CachingMetaModel(metaModel,
                EmbeddingCache.inMemory(metaModel.dimension(), REQUEST_CACHE_ENTRIES));

        Map<String, List<String>> texts = new LinkedHashMap<>();
        for (ExpertConfig expert : config.experts()) {
            texts.put(expert.name(), expert.allExamples());
        }
        List<String> general = config.generalist() == null ? List.of() : config.generalist().allExamples();
        texts.put(RoutingDecision.GENERALIST, general.isEmpty() ? GeneralistExamples.builtIn() : general);

        List<String> allTexts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        texts.forEach((token, list) -> {
            allTexts.addAll(list);
            labels.addAll(Collections.nCopies(list.size(), token));
        });
        TrainingSet set = new TrainingSet(exampleModel.embedAll(allTexts), labels);
        ExpertHead head = new HeadTrainer(HeadTrainer.Options.defaults())
                .trainJoint(List.copyOf(texts.keySet()), set, config.router().threshold());
        return new ExpertTokenRouter(requestModel, exampleModel, new ConversationRenderer(config.router().historyTurns()),
                head, texts);
    }

    @Override
    public RoutingDecision route(List<ChatTurn> conversation) {
        return route(conversation, head.get());
    }

    /**
     * Routes with a given head rather than the one installed now, so a caller that pairs a head with other state
     * (the backends serving its tokens) decides with exactly the snapshot it holds.
     */
    public RoutingDecision route(List<ChatTurn> conversation, ExpertHead snapshot) {
        long start = System.nanoTime();
        float[] h = requests.embed(renderer.render(conversation));
        return snapshot.decide(h, 0).withRouteNanos(System.nanoTime() - start);
    }

    @Override
    public List<String> experts() {
        return head.get().tokens().stream().filter(t -> !RoutingDecision.GENERALIST.equals(t)).toList();
    }

    /** The head in use now. */
    public ExpertHead head() {
        return head.get();
    }

    /** Installs {@code next} for every routing call that starts from now on. */
    public void swap(ExpertHead next) {
        head.set(next);
    }

    /** Examples each token was trained from, the generalist included. */
    public Map<String, Integer> exampleCounts() {
        return exampleCounts;
    }

    /** The example requests each token was trained from at start-up, the generalist included, in token order. */
    public Map<String, List<String>> exampleTexts() {
        return exampleTexts;
    }

    /** The meta-model with its on-disk example cache, for training further tokens. */
    public MetaModel exampleEncoder() {
        return examples;
    }

    @Override
    public void close() {
        examples.close();
    }
}
