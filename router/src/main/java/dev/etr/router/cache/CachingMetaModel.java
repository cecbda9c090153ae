package dev.etr.router.cache;

import dev.etr.router.meta.MetaModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link MetaModel} that answers from an {@link EmbeddingCache} and encodes only the texts it has not seen. */
public final class CachingMetaModel implements MetaModel {

    private final MetaModel delegate;
    private final EmbeddingCache cache;

    public CachingMetaModel(MetaModel delegate, EmbeddingCache cache) {
        this.delegate = delegate;
        this.cache = cache;
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public int dimension() {
        return delegate.dimension();
    }

    public EmbeddingCache cache() {
        return cache;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        float[][] out = new float[texts.size()][];
        // Distinct misses only: a text repeated in the batch is encoded once.
        Map<String, List<Integer>> missing = new LinkedHashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            out[i] = cache.get(texts.get(i));
            if (out[i] == null) {
                missing.computeIfAbsent(texts.get(i), t -> new ArrayList<>()).add(i);
            }
        }
        if (!missing.isEmpty()) {
            List<String> toEncode = new ArrayList<>(missing.keySet());
            List<float[]> encoded = delegate.embedAll(toEncode);
            for (int j = 0; j < toEncode.size(); j++) {
                cache.put(toEncode.get(j), encoded.get(j));
                for (int i : missing.get(toEncode.get(j))) {
                    out[i] = encoded.get(j);
                }
            }
        }
        return List.of(out);
    }

    @Override
    public void close() {
        delegate.close();
        cache.close();
    }
}
