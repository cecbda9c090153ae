package dev.etr.router;

import dev.etr.router.internal.Vectors;
import dev.etr.router.meta.MetaModel;
import dev.etr.router.meta.MetaModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The real in-process meta-model (bge-small-en-v1.5, int8 ONNX) on a handful of sentences. */
class EmbeddedMetaModelTest {

    private static MetaModel model;

    @BeforeAll
    static void load() {
        model = MetaModels.embedded();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void should_embed_to_unit_vectors_of_384_dimensions_when_given_sentences() {
        // when
        List<float[]> vectors = model.embedAll(List.of("How far away is the Andromeda galaxy?", "Bake bread at 220 degrees."));

        // then
        assertThat(model.dimension()).isEqualTo(384);
        assertThat(vectors).hasSize(2).allSatisfy(v -> {
            assertThat(v).hasSize(384);
            assertThat(Vectors.dot(v, v)).isCloseTo(1f, within(1e-4f));
        });
    }

    @Test
    void should_place_same_topic_sentences_closer_than_other_topics_when_embedded() {
        // given
        List<float[]> v = model.embedAll(List.of(
                "What is the derivative of x squared?",
                "How do I integrate sin(x) from 0 to pi?",
                "What is a good recipe for lasagna?"));

        // when
        float mathToMath = Vectors.dot(v.get(0), v.get(1));
        float mathToCooking = Vectors.dot(v.get(0), v.get(2));

        // then
        assertThat(mathToMath).isGreaterThan(mathToCooking + 0.1f);
    }

    @Test
    void should_embed_without_failing_when_the_input_is_far_longer_than_the_window() {
        // given: ~50k tokens of text
        String huge = "The contract shall be governed by the laws of the state. ".repeat(4_000) + "Is this clause enforceable?";

        // when
        float[] vector = model.embed(huge);

        // then
        assertThat(vector).hasSize(384);
        assertThat(Vectors.dot(vector, vector)).isCloseTo(1f, within(1e-4f));
    }

    @Test
    void should_give_the_same_vector_when_the_same_text_is_embedded_twice() {
        assertThat(model.embed("same text")).containsExactly(model.embed("same text"));
    }
}
