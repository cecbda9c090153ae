package dev.etr.experts;

import io.vertx.core.MultiMap;

import java.util.Optional;

/**
 * Sorts upstream failures, once, into retriable or not, the backend's fault or not, and the status etr answers with
 * (in the spirit of LangChain4j's {@code ExceptionMapper}). Everything that reacts to a failure reads this one
 * verdict: the retry predicate, the circuit breaker's recording, the choice of a fallback, the gateway's error
 * answer and metrics.
 */
public interface FailureClassifier {

    /** A call that produced no HTTP answer, or whose body broke off: connect errors, timeouts, resets. */
    BackendFailure classify(Throwable error);

    /** An HTTP answer, by status: empty for a success (below 400). */
    Optional<BackendFailure> classify(int status);

    /** An HTTP answer, by status and headers ({@code Retry-After}); by default as {@link #classify(int)}. */
    default Optional<BackendFailure> classify(int status, MultiMap headers) {
        return classify(status);
    }

    /**
     * The standard rules: unreachable and lost connections are 502 and retriable, timeouts 504 and not retried (a
     * hanging backend would cost the caller its timeout again), malformed answers 502 and not retried; an error
     * status keeps its value and is retriable only for 429, 502, 503 and 504 (honouring {@code Retry-After}); every
     * 5xx and 429 is the backend's fault, other 4xx are the request's.
     */
    static FailureClassifier standard() {
        return StandardFailureClassifier.INSTANCE;
    }
}
