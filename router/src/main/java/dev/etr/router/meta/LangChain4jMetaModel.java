package dev.etr.router.meta;

import dev.etr.router.internal.Vectors;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;

import java.util.ArrayList;
import java.util.List;

/** Adapts any LangChain4j {@link EmbeddingModel}: truncates, embeds, normalises to unit length. */
final class LangChain4jMetaModel implements MetaModel {

    private final String id;
    private final EmbeddingModel model;
    private final Truncation truncation;
    private final int dimension;

    LangChain4jMetaModel(String id, EmbeddingModel model, Truncation truncation) {
        this.id = id;
        this.model = model;
        this.truncation = truncation;
        this.dimension = model.dimension();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String text : texts) {
            // LangChain4j rejects blank segments; a lone full stop embeds as "nothing said".
            String cut = truncation.apply(text);
            segments.add(TextSegment.from(cut.isBlank() ? "." : cut));
        }
        List<Embedding> embeddings = model.embedAll(segments).content();
        if (embeddings.size() != texts.size()) {
            throw new IllegalStateException("meta-model " + id + " returned " + embeddings.size()
                    + " embeddings for " + texts.size() + " texts");
        }
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (Embedding embedding : embeddings) {
            vectors.add(Vectors.normalized(embedding.vector()));
        }
        return vectors;
    }
}
