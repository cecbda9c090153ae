package dev.etr.router.cache;

import dev.etr.router.meta.MetaModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CachingMetaModelTest {

    /** Encodes a text as (length, first char) and records every batch it is asked for. */
    private static final class CountingMetaModel implements MetaModel {
        final List<List<String>> batches = new ArrayList<>();
        boolean closed;

        @Override
        public String id() {
            return "counting";
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public List<float[]> embedAll(List<String> texts) {
            batches.add(List.copyOf(texts));
            List<float[]> out = new ArrayList<>();
            for (String text : texts) {
                out.add(new float[] {text.length(), text.isEmpty() ? 0 : text.charAt(0)});
            }
            return out;
        }

        int encoded() {
            return batches.stream().mapToInt(List::size).sum();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void should_encode_nothing_when_texts_were_seen_before() {
        // given
        CountingMetaModel encoder = new CountingMetaModel();
        CachingMetaModel caching = new CachingMetaModel(encoder, EmbeddingCache.inMemory(2, 100));
        List<float[]> first = caching.embedAll(List.of("ab", "xyz"));

        // when
        List<float[]> second = caching.embedAll(List.of("xyz", "ab"));

        // then
        assertThat(encoder.batches).containsExactly(List.of("ab", "xyz"));
        assertThat(second.get(0)).containsExactly(3f, 'x');
        assertThat(second.get(1)).containsExactly(2f, 'a');
        assertThat(first.get(0)).containsExactly(2f, 'a');
        assertThat(caching.cache().hits()).isEqualTo(2);
    }

    @Test
    void should_encode_duplicates_once_when_repeated_in_a_batch() {
        // given
        CountingMetaModel encoder = new CountingMetaModel();
        CachingMetaModel caching = new CachingMetaModel(encoder, EmbeddingCache.inMemory(2, 100));

        // when
        List<float[]> out = caching.embedAll(List.of("q", "hello", "q", "hello", "q"));

        // then: two distinct texts, in first-seen order; five results, in input order
        assertThat(encoder.batches).containsExactly(List.of("q", "hello"));
        assertThat(out).hasSize(5);
        assertThat(out.get(0)).containsExactly(1f, 'q');
        assertThat(out.get(1)).containsExactly(5f, 'h');
        assertThat(out.get(2)).containsExactly(1f, 'q');
        assertThat(out.get(3)).containsExactly(5f, 'h');
        assertThat(out.get(4)).containsExactly(1f, 'q');
    }

    @Test
    void should_encode_only_misses_when_batch_mixes_seen_and_new() {
        // given
        CountingMetaModel encoder = new CountingMetaModel();
        CachingMetaModel caching = new CachingMetaModel(encoder, EmbeddingCache.inMemory(2, 100));
        caching.embed("old");

        // when
        List<float[]> out = caching.embedAll(List.of("new", "old", "newer"));

        // then
        assertThat(encoder.batches).containsExactly(List.of("old"), List.of("new", "newer"));
        assertThat(encoder.encoded()).isEqualTo(3);
        assertThat(out.get(0)).containsExactly(3f, 'n');
        assertThat(out.get(1)).containsExactly(3f, 'o');
        assertThat(out.get(2)).containsExactly(5f, 'n');
    }

    @Test
    void should_delegate_identity_and_close_when_wrapping() {
        // given
        CountingMetaModel encoder = new CountingMetaModel();
        CachingMetaModel caching = new CachingMetaModel(encoder, EmbeddingCache.inMemory(2, 100));

        // when
        caching.close();

        // then
        assertThat(caching.id()).isEqualTo("counting");
        assertThat(caching.dimension()).isEqualTo(2);
        assertThat(encoder.closed).isTrue();
    }
}
