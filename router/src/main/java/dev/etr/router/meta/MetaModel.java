package dev.etr.router.meta;

import java.util.List;

/**
 * The frozen meta-model {@code h(x)}: turns a request, rendered as text, into a vector. Thread-safe.
 *
 * <p>Implementations never fail on length: inputs longer than the encoder's window are cut by {@link Truncation}.
 */
public interface MetaModel extends AutoCloseable {

    /** Identifies the encoder and everything that changes its output; embedding caches are keyed by it. */
    String id();

    int dimension();

    /** Embeds each text; the result has one unit-length vector per input, in order. */
    List<float[]> embedAll(List<String> texts);

    default float[] embed(String text) {
        return embedAll(List.of(text)).get(0);
    }

    @Override
    default void close() {
    }
}
