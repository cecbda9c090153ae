package dev.etr.gateway;

import dev.etr.router.RoutingDecision;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A routing decision as {@code POST /v1/route} and {@code etr route} print it:
 * {@code {"expert","confidence","probabilities":[{"expert","p"}...],"route_ms"}}, probabilities best first.
 */
public final class RoutingJson {

    private RoutingJson() {
    }

    public static JsonObject of(RoutingDecision decision) {
        JsonArray probabilities = new JsonArray();
        decision.probabilities().forEach(p -> probabilities.add(new JsonObject().put("expert", p.expert()).put("p", p.p())));
        return new JsonObject()
                .put("expert", decision.expert())
                .put("confidence", decision.confidence())
                .put("probabilities", probabilities)
                .put("route_ms", Math.round(decision.routeNanos() / 1_000.0) / 1_000.0);
    }
}
