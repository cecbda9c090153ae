package dev.etr.router.meta;

import dev.etr.router.internal.Vectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The batching encoder against LangChain4j's one-text-per-call encoder over the same model and tokenizer. */
class OnnxBatchEncoderTest {

    /** One text per ONNX call, as LangChain4j: the same computation, so float noise only. */
    private static final float SAME = 0.9999f;
    /**
     * Many texts per ONNX call: the int8 model quantises activations per tensor, per call, so a vector depends on its
     * batch-mates and padding (measured: min cosine ~0.957, for a 3-token text padded among longer ones).
     */
    private static final float BATCHED = 0.95f;

    private static MetaModel reference;
    private static MetaModel batching;
    private static MetaModel batched32;

    @BeforeAll
    static void load() {
        reference = MetaModels.embeddedViaLangChain4j(Truncation.defaults());
        batching = MetaModels.embedded(Truncation.defaults());
        batched32 = MetaModels.embeddedBatching(32, 1);
    }

    @AfterAll
    static void close() {
        reference.close();
        batching.close();
        batched32.close();
    }

    private static List<String> texts() {
        List<String> texts = new ArrayList<>(List.of(
                "How far away is the Andromeda galaxy?",
                "What is the derivative of x^3?",
                "Why does my Java HashMap lose entries when two threads put at once and the table resizes?",
                "Can my landlord keep my deposit?",
                "hi",
                "   ",
                "Is ibuprofen safe with alcohol? I had two beers and my head hurts; what dose would be OK, if any?",
                "Ünïcödé, emoji 🚀 and symbols ∑∫√ in one line.",
                "The contract shall be governed by the laws of the state. ".repeat(60) + "Is this clause enforceable?"));
        for (int i = 0; i < 40; i++) {
            texts.add("Question number " + i + ": explain topic " + (i * 7919 % 1000) + " in simple words.");
        }
        return texts;
    }

    @Test
    void should_give_the_reference_vectors_when_many_texts_of_different_lengths_go_in_one_call() {
        // given
        List<String> texts = texts();

        // when
        List<float[]> expected = reference.embedAll(texts);
        List<float[]> actual = batching.embedAll(texts);

        // then
        assertThat(actual).hasSize(texts.size());
        float min = 1;
        for (int i = 0; i < texts.size(); i++) {
            min = Math.min(min, Vectors.dot(expected.get(i), actual.get(i)));
        }
        assertThat(min).isGreaterThan(SAME);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(actual.get(i)).hasSize(384);
            assertThat(Vectors.dot(actual.get(i), actual.get(i))).as("norm of %s", i).isBetween(0.9999f, 1.0001f);
            assertThat(Vectors.dot(expected.get(i), actual.get(i))).as("cosine for text %s", i).isGreaterThan(SAME);
        }
    }

    @Test
    void should_give_the_reference_vector_when_one_text_goes_alone() {
        for (String text : texts().subList(0, 9)) {
            assertThat(Vectors.dot(reference.embed(text), batching.embed(text))).as(text).isGreaterThan(SAME);
        }
    }

    @Test
    void should_answer_every_concurrent_caller_with_its_own_vector_when_calls_are_coalesced() throws Exception {
        // given
        List<String> texts = texts();
        List<float[]> expected = reference.embedAll(texts);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            // when: 8 threads, each text its own call, all at once
            List<Future<float[]>> futures = new ArrayList<>();
            for (String text : texts) {
                futures.add(pool.submit(() -> batching.embed(text)));
            }

            // then
            for (int i = 0; i < texts.size(); i++) {
                assertThat(Vectors.dot(expected.get(i), futures.get(i).get())).as("text %s", i).isGreaterThan(SAME);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void should_keep_the_id_that_keys_the_embedding_cache_when_vectors_are_the_same() {
        assertThat(batching.id()).isEqualTo(reference.id()).isEqualTo("embedded:bge-small-en-v1.5-q|chars=2048");
    }

    @Test
    void should_stay_close_but_take_its_own_cache_id_when_texts_share_an_onnx_call() {
        // given
        List<String> texts = texts();

        // when
        List<float[]> expected = reference.embedAll(texts);
        List<float[]> actual = batched32.embedAll(texts);

        // then
        for (int i = 0; i < texts.size(); i++) {
            assertThat(Vectors.dot(actual.get(i), actual.get(i))).isBetween(0.9999f, 1.0001f);
            assertThat(Vectors.dot(expected.get(i), actual.get(i))).as("cosine for text %s", i).isGreaterThan(BATCHED);
        }
        assertThat(batched32.id()).isEqualTo("embedded:bge-small-en-v1.5-q+batched|chars=2048");
    }
}
