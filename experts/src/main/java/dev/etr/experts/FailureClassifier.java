package dev.etr.experts;

import java.util.Optional;

/**
 * Sorts upstream failures, once, into retriable or not and the status etr answers with (in the spirit of
 * LangChain4j's {@code ExceptionMapper}). Everything that reacts to a failure (the dispatcher's choice of the next
 * candidate, the gateway's error answer, metrics, and later retries and circuit breakers) reads this one verdict.
 */
public interface FailureClassifier {

    /** A call that produced no HTTP answer, or whose body broke off: connect errors, timeouts, resets. */
    BackendFailure classify(Throwable error);

    /** An HTTP answer, by status: empty for a success (below 400). */
    Optional<BackendFailure> classify(int status);

    /**
     * The standard rules: unreachable and lost connections are 502, timeouts 504, all three retriable; an error
     * status keeps its value and is retriable only for 429, 502, 503 and 504.
     */
    static FailureClassifier standard() {
        return StandardFailureClassifier.INSTANCE;
    }
}
