package dev.etr.router.eval;

import dev.etr.router.head.TrainingSet;

import java.util.List;

/** A way of choosing an expert from a request's embedding: ETR itself, or a baseline to measure it against. */
public interface RoutingMethod {

    String name();

    /** Learns from labelled embeddings; {@code labels} fixes the order of {@link #probabilities}. */
    void fit(TrainingSet train, List<String> labels);

    /** A probability per label, in the order given to {@link #fit}. */
    double[] probabilities(float[] h);
}
