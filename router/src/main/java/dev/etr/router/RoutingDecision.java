package dev.etr.router;

import java.util.List;

/**
 * The outcome of routing one request.
 *
 * @param expert        who should answer: an expert name, or {@link #GENERALIST}
 * @param confidence    the probability of the best-ranked token
 * @param abstained     true when the best expert fell under the threshold and the generalist was chosen instead
 * @param probabilities every token, best first; they sum to 1
 * @param routeNanos    time spent deciding (encoding included)
 */
public record RoutingDecision(
        String expert, double confidence, boolean abstained, List<ExpertProbability> probabilities, long routeNanos) {

    /** The name of the generalist token: the meta-model "answering itself". */
    public static final String GENERALIST = "generalist";

    public RoutingDecision {
        probabilities = List.copyOf(probabilities);
    }

    public boolean toGeneralist() {
        return GENERALIST.equals(expert);
    }

    /** The same decision with its timing set (the head decides; the router knows how long encoding took). */
    public RoutingDecision withRouteNanos(long nanos) {
        return new RoutingDecision(expert, confidence, abstained, probabilities, nanos);
    }
}
