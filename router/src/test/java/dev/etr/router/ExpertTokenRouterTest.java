package dev.etr.router;

import dev.etr.config.BackendConfig;
import dev.etr.config.EtrConfig;
import dev.etr.config.ExpertConfig;
import dev.etr.config.GeneralistConfig;
import dev.etr.config.RouterConfig;
import dev.etr.router.cache.CachingMetaModel;
import dev.etr.router.meta.MetaModel;
import dev.etr.router.meta.MetaModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** End to end over the real embedded meta-model: configuration in, routing decisions out. */
class ExpertTokenRouterTest {

    private static MetaModel metaModel;

    @TempDir
    Path cacheDir;

    @BeforeAll
    static void load() {
        metaModel = MetaModels.embedded();
    }

    @AfterAll
    static void close() {
        metaModel.close();
    }

    private static EtrConfig config(double threshold) {
        BackendConfig backend = BackendConfig.mock();
        return new EtrConfig(null, new RouterConfig(null, threshold, null),
                new GeneralistConfig(backend, null, null, null),
                List.of(
                        new ExpertConfig("math", "Mathematics", backend, List.of(
                                "What is the derivative of x^3?", "Solve 2x + 5 = 17.", "Prove that the square root of 2 is irrational.",
                                "What is the integral of 1/x?", "How many ways can I choose 3 items from 10?", "Factor x^2 - 9."), null, null),
                        new ExpertConfig("code", "Programming", backend, List.of(
                                "Why does my Python loop throw an IndexError?", "Write a Java method that reverses a string.",
                                "How do I center a div with CSS?", "What does git rebase do?", "Explain async/await in JavaScript.",
                                "My SQL query with a LEFT JOIN returns duplicates, why?"), null, null),
                        new ExpertConfig("medicine", "Health and medicine", backend, List.of(
                                "What are the symptoms of type 2 diabetes?", "Is it safe to take ibuprofen with paracetamol?",
                                "How is high blood pressure treated?", "What causes migraines?", "When should a child get the MMR vaccine?",
                                "What does a high white blood cell count mean?"), null, null)));
    }

    @Test
    void should_route_unseen_requests_to_the_matching_expert_when_trained_from_config() {
        // given
        try (ExpertTokenRouter router = ExpertTokenRouter.fromConfig(config(0.0), metaModel, cacheDir)) {
            // when
            RoutingDecision math = router.route(List.of(ChatTurn.user("What is the limit of sin(x)/x as x goes to 0?")));
            RoutingDecision code = router.route(List.of(new ChatTurn("system", "You are helpful."),
                    ChatTurn.user("How do I read a file line by line in Python?")));
            RoutingDecision medicine = router.route(List.of(ChatTurn.user("What are the side effects of statins?")));
            RoutingDecision general = router.route(List.of(ChatTurn.user("Can you suggest a nice recipe for pancakes?")));

            // then
            assertThat(math.expert()).isEqualTo("math");
            assertThat(code.expert()).isEqualTo("code");
            assertThat(medicine.expert()).isEqualTo("medicine");
            assertThat(general.expert()).isEqualTo(RoutingDecision.GENERALIST);
            assertThat(math.probabilities()).hasSize(4);
            assertThat(math.probabilities().stream().mapToDouble(ExpertProbability::p).sum()).isCloseTo(1.0, within(1e-9));
            assertThat(math.routeNanos()).isPositive();
            assertThat(router.experts()).containsExactly("math", "code", "medicine");
            assertThat(router.exampleCounts()).containsEntry("math", 6).containsKey(RoutingDecision.GENERALIST);
        }
    }

    @Test
    void should_encode_no_example_again_and_train_the_same_head_when_restarted_on_the_same_cache() {
        // given
        float[] firstRow;
        try (ExpertTokenRouter first = ExpertTokenRouter.fromConfig(config(0.0), metaModel, cacheDir)) {
            firstRow = first.head().row(0);
            assertThat(((CachingMetaModel) first.exampleEncoder()).cache().misses()).isPositive();
        }

        // when
        try (ExpertTokenRouter second = ExpertTokenRouter.fromConfig(config(0.0), metaModel, cacheDir)) {
            // then
            assertThat(((CachingMetaModel) second.exampleEncoder()).cache().misses()).isZero();
            assertThat(Arrays.equals(second.head().row(0), firstRow)).isTrue();
        }
    }

    @Test
    void should_abstain_to_the_generalist_when_the_best_expert_is_under_the_threshold() {
        // given: a threshold no expert can reach
        try (ExpertTokenRouter router = ExpertTokenRouter.fromConfig(config(1.0), metaModel, cacheDir)) {
            // when
            RoutingDecision decision = router.route(List.of(ChatTurn.user("Solve 3x - 7 = 11 for x.")));

            // then
            assertThat(decision.probabilities().get(0).expert()).isEqualTo("math");
            assertThat(decision.expert()).isEqualTo(RoutingDecision.GENERALIST);
            assertThat(decision.abstained()).isTrue();
        }
    }
}
