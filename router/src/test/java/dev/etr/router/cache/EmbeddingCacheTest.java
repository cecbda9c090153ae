package dev.etr.router.cache;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddingCacheTest {

    private static final String MODEL = "test-model";

    @TempDir
    Path dir;

    private Path cacheFile() {
        return dir.resolve(EmbeddingCache.fileName(MODEL));
    }

    private static void assertBitIdentical(float[] actual, float[] expected) {
        assertThat(actual).isNotNull();
        assertThat(Arrays.equals(actual, expected)).as("%s vs %s", Arrays.toString(actual), Arrays.toString(expected)).isTrue();
    }

    @Test
    void should_return_identical_floats_when_reopened() {
        // given
        float[] one = {0.1f, -0.2f, Float.MIN_VALUE};
        float[] two = {1e-30f, 3.4e38f, -0f};
        try (EmbeddingCache cache = EmbeddingCache.open(dir, MODEL, 3, 10)) {
            cache.put("first text", one);
            cache.put("second text", two);
            cache.put("first text", one); // already stored: not appended again
            assertThat(cache.size()).isEqualTo(2);
        }

        // when
        try (EmbeddingCache reopened = EmbeddingCache.open(dir, MODEL, 3, 10)) {
            // then
            assertThat(reopened.size()).isEqualTo(2);
            assertBitIdentical(reopened.get("first text"), one);
            assertBitIdentical(reopened.get("second text"), two);
            assertThat(reopened.get("never stored")).isNull();
        }
        assertThat(cacheFile()).exists();
    }

    @Test
    void should_not_store_the_text_when_writing_the_file() throws IOException {
        // given
        try (EmbeddingCache cache = EmbeddingCache.open(dir, MODEL, 2, 10)) {
            // when
            cache.put("a very secret prompt", new float[] {1f, 2f});
        }

        // then
        String content = new String(Files.readAllBytes(cacheFile()), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(content).doesNotContain("secret");
    }

    @Test
    void should_drop_partial_record_and_keep_the_rest_when_file_ends_mid_record() throws IOException {
        // given: two full records, then 7 stray bytes as from a process killed mid-append
        float[] one = {1f, 2f, 3f};
        float[] two = {4f, 5f, 6f};
        try (EmbeddingCache cache = EmbeddingCache.open(dir, MODEL, 3, 10)) {
            cache.put("one", one);
            cache.put("two", two);
        }
        long intact = Files.size(cacheFile());
        Files.write(cacheFile(), new byte[] {1, 2, 3, 4, 5, 6, 7}, StandardOpenOption.APPEND);

        // when
        try (EmbeddingCache reopened = EmbeddingCache.open(dir, MODEL, 3, 10)) {
            // then
            assertThat(Files.size(cacheFile())).isEqualTo(intact);
            assertThat(reopened.size()).isEqualTo(2);
            assertBitIdentical(reopened.get("one"), one);
            assertBitIdentical(reopened.get("two"), two);
            // and appending continues at a record boundary
            reopened.put("three", new float[] {7f, 8f, 9f});
        }
        try (EmbeddingCache again = EmbeddingCache.open(dir, MODEL, 3, 10)) {
            assertThat(again.size()).isEqualTo(3);
            assertBitIdentical(again.get("three"), new float[] {7f, 8f, 9f});
            assertBitIdentical(again.get("two"), two);
        }
    }

    @Test
    void should_start_afresh_when_header_is_torn() throws IOException {
        // given: a file shorter than its header
        Files.write(cacheFile(), new byte[] {0x45, 0x52});

        // when
        try (EmbeddingCache cache = EmbeddingCache.open(dir, MODEL, 2, 10)) {
            // then
            assertThat(cache.size()).isZero();
            cache.put("x", new float[] {1f, 1f});
        }
        try (EmbeddingCache reopened = EmbeddingCache.open(dir, MODEL, 2, 10)) {
            assertBitIdentical(reopened.get("x"), new float[] {1f, 1f});
        }
    }

    @Test
    void should_fail_naming_the_file_when_dimension_differs() {
        // given
        try (EmbeddingCache cache = EmbeddingCache.open(dir, MODEL, 3, 10)) {
            cache.put("x", new float[] {1f, 2f, 3f});
        }

        // when / then
        assertThatThrownBy(() -> EmbeddingCache.open(dir, MODEL, 4, 10))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("embedding cache " + cacheFile() + " cannot be opened: not an embedding cache for meta-model "
                        + MODEL + " with dimension 4 (delete " + cacheFile() + " to rebuild it)");
    }

    @Test
    void should_fail_naming_the_file_when_model_id_differs() throws IOException {
        // given: another model's file placed under this model's name
        try (EmbeddingCache cache = EmbeddingCache.open(dir, "other-model", 3, 10)) {
            cache.put("x", new float[] {1f, 2f, 3f});
        }
        Files.copy(dir.resolve(EmbeddingCache.fileName("other-model")), cacheFile());

        // when / then
        assertThatThrownBy(() -> EmbeddingCache.open(dir, MODEL, 3, 10))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(cacheFile().toString())
                .hasMessageContaining("not an embedding cache for meta-model " + MODEL + " with dimension 3");
    }

    @Test
    void should_use_a_file_per_model_when_ids_differ() {
        // when
        String a = EmbeddingCache.fileName("model-a");
        String b = EmbeddingCache.fileName("model-b");

        // then
        assertThat(a).matches("[0-9a-f]{16}\\.emb").isNotEqualTo(b);
        assertThat(EmbeddingCache.fileName("model-a")).isEqualTo(a);
    }

    @Test
    void should_evict_least_recently_used_when_memory_is_full() {
        // given
        EmbeddingCache cache = EmbeddingCache.inMemory(1, 2);
        cache.put("a", new float[] {1f});
        cache.put("b", new float[] {2f});
        cache.get("a"); // a is now the most recently used

        // when
        cache.put("c", new float[] {3f});

        // then
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get("b")).isNull();
        assertThat(cache.get("a")).containsExactly(1f);
        assertThat(cache.get("c")).containsExactly(3f);
    }

    @Test
    void should_read_evicted_vectors_back_from_file_when_memory_is_small() {
        // given: room for one vector in memory
        try (EmbeddingCache cache = EmbeddingCache.open(dir, MODEL, 1, 1)) {
            cache.put("a", new float[] {1f});
            cache.put("b", new float[] {2f});

            // when / then
            assertThat(cache.get("a")).containsExactly(1f);
            assertThat(cache.get("b")).containsExactly(2f);
            assertThat(cache.size()).isEqualTo(2);
        }
    }

    @Test
    void should_count_hits_and_misses_when_getting() {
        // given
        EmbeddingCache cache = EmbeddingCache.inMemory(1, 10);
        cache.put("a", new float[] {1f});

        // when
        cache.get("a");
        cache.get("a");
        cache.get("b");

        // then
        assertThat(cache.hits()).isEqualTo(2);
        assertThat(cache.misses()).isEqualTo(1);
    }

    @Test
    void should_reject_vector_when_dimension_differs() {
        // given
        EmbeddingCache cache = EmbeddingCache.inMemory(3, 10);

        // when / then
        assertThatThrownBy(() -> cache.put("a", new float[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vector has dimension 2, cache holds 3");
    }
}
