package dev.etr.router;

import java.util.List;

/**
 * Decides which expert answers a conversation. Thread-safe.
 *
 * <p>{@link #route} runs the meta-model, so it blocks: callers on an event loop must run it on a worker pool.
 */
public interface Router {

    RoutingDecision route(List<ChatTurn> conversation);

    /** Names of the experts this router can choose, in token order (the generalist excluded). */
    List<String> experts();
}
