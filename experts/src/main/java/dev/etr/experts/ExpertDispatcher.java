package dev.etr.experts;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Sends a request to the first candidate expert that answers: the chosen expert, then its fallbacks.
 *
 * <p>Each candidate's backend is called through its guard ({@link Resilience}): circuit breaker, bulkhead, timeouts
 * and retries. The next candidate is asked only when the previous one could not answer through the backend's fault
 * (circuit open, bulkhead full, timeout, retries exhausted, 5xx, malformed answer; see
 * {@link BackendFailure#backendFault()}), and only while nothing has been forwarded, which holds here because a reply
 * is handed over before its body is consumed. An upstream 4xx is the request's fault and reaches the client as the
 * upstream wrote it. When no candidate can answer, the dispatch fails with a {@link BackendException} whose status is
 * 502, 503 or 504 (see {@link #exhausted}).
 */
public final class ExpertDispatcher {

    /** Told about every failed attempt, e.g. to count backend errors. Called on the event loop; must not block. */
    @FunctionalInterface
    public interface FailureListener {
        void failed(Expert expert, BackendFailure failure);
    }

    /** A candidate that could not answer, and why. {@code attempts} is 0 when it was not called at all. */
    public record Skipped(Expert expert, BackendFailure failure, int attempts) {

        /**
         * Why it was skipped, as sent in {@code x-etr-fallback}: {@code circuit_open}, {@code bulkhead_full},
         * {@code timeout}, {@code retries_exhausted} (a retriable failure on every attempt), {@code unreachable},
         * {@code connection_lost}, {@code malformed_response}, or {@code upstream_<status>}.
         */
        public String reason() {
            if (attempts > 1 && failure.retriable()) {
                return "retries_exhausted";
            }
            return switch (failure.kind()) {
                case CIRCUIT_OPEN -> "circuit_open";
                case BULKHEAD_FULL -> "bulkhead_full";
                case TIMEOUT -> "timeout";
                case UNREACHABLE -> "unreachable";
                case CONNECTION_LOST -> "connection_lost";
                case MALFORMED_RESPONSE -> "malformed_response";
                case UPSTREAM_STATUS -> "upstream_" + failure.status();
            };
        }
    }

    /** The reply, who gave it, and the candidates skipped before (empty when the first candidate answered). */
    public record Dispatched(Expert servedBy, BackendReply reply, List<Skipped> skipped) {

        public Dispatched(Expert servedBy, BackendReply reply) {
            this(servedBy, reply, List.of());
        }

        /** Why the first candidate did not answer, when another one did. */
        public Optional<String> fallbackReason() {
            return skipped.isEmpty() ? Optional.empty() : Optional.of(skipped.get(0).reason());
        }
    }

    private final FailureClassifier classifier;
    private final FailureListener listener;
    private final Resilience resilience;

    /** With real-time fault tolerance of its own. */
    public ExpertDispatcher(FailureClassifier classifier, FailureListener listener) {
        this(classifier, listener, new Resilience());
    }

    public ExpertDispatcher(FailureClassifier classifier, FailureListener listener, Resilience resilience) {
        this.classifier = classifier;
        this.listener = listener;
        this.resilience = resilience;
    }

    /** The classifier every failure goes through, also for failures after the reply was handed over. */
    public FailureClassifier classifier() {
        return classifier;
    }

    /** The circuit breakers, bulkheads and retries of every backend. */
    public Resilience resilience() {
        return resilience;
    }

    /**
     * Who may answer for {@code chosen}, best first: {@code chosen}, the experts of its {@code resilience.fallback}
     * list (unknown names skipped), then the generalist; each at most once.
     *
     * @param find an expert by name (e.g. in the registry snapshot the request was routed with)
     */
    public static List<Expert> candidates(Expert chosen, Function<String, Optional<Expert>> find, Expert generalist) {
        Map<String, Expert> chain = new LinkedHashMap<>();
        chain.put(chosen.name(), chosen);
        for (String name : chosen.backend().config().resilience().fallback()) {
            find.apply(name).ifPresent(expert -> chain.putIfAbsent(expert.name(), expert));
        }
        chain.putIfAbsent(generalist.name(), generalist);
        return List.copyOf(chain.values());
    }

    /**
     * Call it on a Vert.x context, as {@link ExpertBackend#send}.
     *
     * @param candidates who may answer, best first; not empty
     * @return the first usable reply; failed with a {@link BackendException} when no candidate could answer
     */
    public Future<Dispatched> dispatch(List<Expert> candidates, ChatRequest request, CallContext call) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no candidate expert");
        }
        return attempt(candidates, 0, request, call, new ArrayList<>());
    }

    private Future<Dispatched> attempt(List<Expert> candidates, int index, ChatRequest request, CallContext call,
                                       List<Skipped> skipped) {
        Expert expert = candidates.get(index);
        boolean last = index == candidates.size() - 1;
        BackendGuard guard = resilience.guard(expert, classifier);
        return guard.send(expert.prepare(request), call, failure -> listener.failed(expert, failure))
                .transform(result -> {
                    if (result.succeeded()) {
                        return Future.succeededFuture(new Dispatched(expert, result.result(), List.copyOf(skipped)));
                    }
                    if (call.abandoned().isComplete() || !(result.cause() instanceof BackendException failed)) {
                        // nobody is waiting, or not a backend's failure: no further candidate
                        return Future.failedFuture(result.cause());
                    }
                    skipped.add(new Skipped(expert, failed.failure(), failed.attempts()));
                    if (failed.failure().backendFault() && !last) {
                        return attempt(candidates, index + 1, request, call, skipped);
                    }
                    return Future.failedFuture(exhausted(skipped, failed));
                });
    }

    /**
     * No candidate could answer. The status follows the last candidate's failure: 504 for a timeout, 503 when it was
     * not called (circuit open, bulkhead full) or answered 429/503, else 502; the message names every candidate.
     */
    static BackendException exhausted(List<Skipped> skipped, BackendException last) {
        BackendFailure failure = last.failure();
        int status = switch (failure.kind()) {
            case TIMEOUT -> 504;
            case CIRCUIT_OPEN, BULKHEAD_FULL -> 503;
            case UPSTREAM_STATUS -> failure.status() == 429 || failure.status() == 503 ? 503 : 502;
            default -> 502;
        };
        String message = skipped.size() <= 1 ? failure.message() : "no expert backend could answer ("
                + skipped.stream().map(s -> s.expert().name() + ": " + s.failure().message())
                .collect(Collectors.joining("; ")) + ")";
        return new BackendException(last.expert(), new BackendFailure(failure.kind(), status, failure.retriable(),
                message, failure.backendFault(), failure.retryAfter()), last, last.attempts(), skipped);
    }
}
