package dev.etr.config;

/**
 * Routing settings.
 *
 * @param metaModel    the frozen encoder that reads requests
 * @param threshold    below this probability of the best expert, the generalist answers (0 = never abstain)
 * @param historyTurns how many earlier turns the meta-model reads besides the last user turn
 */
public record RouterConfig(MetaModelConfig metaModel, Double threshold, Integer historyTurns) {

    public static final int DEFAULT_HISTORY_TURNS = 2;

    public RouterConfig {
        metaModel = metaModel == null ? MetaModelConfig.embedded() : metaModel;
        threshold = threshold == null ? 0.0 : threshold;
        historyTurns = historyTurns == null ? DEFAULT_HISTORY_TURNS : historyTurns;
    }

    public static RouterConfig defaults() {
        return new RouterConfig(null, null, null);
    }
}
