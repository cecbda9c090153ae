package dev.etr.router.head;

import java.util.ArrayList;
import java.util.List;

/** Embedded example requests with the token each should route to. */
public record TrainingSet(List<float[]> vectors, List<String> labels) {

    public TrainingSet {
        if (vectors.size() != labels.size()) {
            throw new IllegalArgumentException("vectors and labels differ in length: " + vectors.size() + " vs " + labels.size());
        }
        vectors = List.copyOf(vectors);
        labels = List.copyOf(labels);
    }

    public int size() {
        return vectors.size();
    }

    /** Distinct labels in order of first appearance. */
    public List<String> distinctLabels() {
        return labels.stream().distinct().toList();
    }

    /** This set followed by {@code other}. */
    public TrainingSet plus(TrainingSet other) {
        List<float[]> v = new ArrayList<>(vectors);
        v.addAll(other.vectors);
        List<String> l = new ArrayList<>(labels);
        l.addAll(other.labels);
        return new TrainingSet(v, l);
    }
}
