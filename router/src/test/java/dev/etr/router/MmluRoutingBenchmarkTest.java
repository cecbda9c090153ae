package dev.etr.router;

import dev.etr.router.cache.CachingMetaModel;
import dev.etr.router.cache.EmbeddingCache;
import dev.etr.router.eval.Dataset;
import dev.etr.router.eval.EvalReport;
import dev.etr.router.eval.Evaluation;
import dev.etr.router.eval.Split;
import dev.etr.router.head.HeadTrainer;
import dev.etr.router.meta.MetaModel;
import dev.etr.router.meta.MetaModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The routing benchmarks of {@code ../shared/datasets} on the real embedded meta-model, protocol
 * {@code --split 0.5 --seed 42}. Skipped, with a message, when the folder is absent.
 */
class MmluRoutingBenchmarkTest {

    private static final Path DATASETS = Path.of(System.getProperty("etr.datasets", "../../shared/datasets"));
    private static CachingMetaModel metaModel;

    @BeforeAll
    static void load() {
        MetaModel encoder = MetaModels.embedded();
        // Under target/: a rerun of the suite reuses the embeddings, a clean build starts afresh.
        metaModel = new CachingMetaModel(encoder,
                EmbeddingCache.open(Path.of("target", "etr-cache"), encoder.id(), encoder.dimension(), 50_000));
    }

    @AfterAll
    static void close() {
        metaModel.close();
    }

    private static Dataset dataset(String name) {
        Path file = DATASETS.resolve(name);
        assumeTrue(Files.isRegularFile(file), "routing benchmark " + file.toAbsolutePath() + " is absent: skipped");
        return Dataset.read(file);
    }

    private static EvalReport evaluate(Split split, boolean extension) {
        return new Evaluation(metaModel, HeadTrainer.Options.defaults(), Evaluation.Progress.NONE)
                .run(new Evaluation.Request(split, List.of("etr", "centroid", "knn"), extension, List.of(), 42, List.of()));
    }

    @Test
    void should_route_mmlu_expert_at_least_as_well_as_nearest_centroid_and_survive_extension() {
        // given
        Dataset data = dataset("mmlu-expert.jsonl");

        // when
        EvalReport report = evaluate(Split.stratified(data.examples(), 0.5, 42), true);

        // then
        double etr = report.methods().get("etr").accuracy();
        assertThat(etr).isGreaterThanOrEqualTo(0.96).isGreaterThanOrEqualTo(report.methods().get("centroid").accuracy());
        assertThat(report.extension().delta()).as("extend mode vs joint, accuracy").isGreaterThanOrEqualTo(-0.01);
    }

    @Test
    void should_beat_nearest_centroid_by_two_points_on_mmlu_57() {
        // given
        Dataset data = dataset("mmlu-57.jsonl");

        // when
        EvalReport report = evaluate(Split.stratified(data.examples(), 0.5, 42), false);

        // then
        double etr = report.methods().get("etr").accuracy();
        assertThat(etr).isGreaterThanOrEqualTo(0.74);
        assertThat(etr - report.methods().get("centroid").accuracy()).isGreaterThanOrEqualTo(0.02);
    }

    @Test
    void should_route_plain_chat_requests_no_worse_than_centroid_when_trained_on_exam_questions() {
        // given: tokens trained on MMLU exam questions with options; tested on chat-style requests we wrote
        Dataset exams = dataset("mmlu-expert.jsonl");
        Dataset chat = Dataset.read(Path.of("src/test/resources/dev/etr/router/mmlu-expert-chat.jsonl"));

        // when
        EvalReport report = evaluate(new Split(exams.examples(), chat.examples()), false);

        // then
        double etr = report.methods().get("etr").accuracy();
        assertThat(etr).isGreaterThanOrEqualTo(report.methods().get("centroid").accuracy());
        assertThat(etr).isGreaterThanOrEqualTo(0.85);
    }
}
