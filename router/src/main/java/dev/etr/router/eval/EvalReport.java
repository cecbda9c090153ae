package dev.etr.router.eval;

import java.util.List;
import java.util.Map;

/**
 * Everything one {@code ./etr eval} run measured; written as JSON by {@code --json} (snake_case keys).
 *
 * @param methods    per method name, in the order asked for
 * @param extension  the dynamic-extension experiment, or null when not asked for
 * @param generalist how well the generalist token separates general requests from expert ones, or null
 * @param problems   malformed input lines that were skipped (file:line: what is wrong)
 */
public record EvalReport(
        int trainSize, int testSize, List<String> labels, String metaModel, Encoding encoding,
        Map<String, Metrics> methods, Extension extension, Generalist generalist, List<String> problems) {

    /** @param encoded texts the meta-model actually ran on (the rest came from the cache) */
    public record Encoding(int texts, int encoded, double seconds) {
    }

    /**
     * Train on every label but {@code added}, then add {@code added} in extend mode (only its token trained).
     *
     * @param delta extended minus joint accuracy on the full test set
     */
    public record Extension(String added, double jointAccuracy, double extendedAccuracy, double delta,
                            double addedRecall) {
    }

    /**
     * @param generalRecall      share of held-out general requests routed to the generalist
     * @param expertFalseGeneral share of expert test requests wrongly routed to the generalist
     * @param auroc              how well p(generalist) ranks general above expert requests (1 = perfectly)
     * @param expertAccuracy     accuracy on the expert test set with the generalist token present
     */
    public record Generalist(int generalTrain, int generalTest, double generalRecall, double expertFalseGeneral,
                             double auroc, double expertAccuracy) {
    }
}
