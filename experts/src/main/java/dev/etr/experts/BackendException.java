package dev.etr.experts;

import java.util.List;

/** A failed upstream call, already classified; what {@link ExpertDispatcher} fails with. */
public final class BackendException extends RuntimeException {

    private final String expert;
    private final BackendFailure failure;
    private final int attempts;
    private final List<ExpertDispatcher.Skipped> skipped;

    public BackendException(String expert, BackendFailure failure, Throwable cause) {
        this(expert, failure, cause, 1, List.of());
    }

    BackendException(String expert, BackendFailure failure, Throwable cause, int attempts,
                     List<ExpertDispatcher.Skipped> skipped) {
        super(expert + ": " + failure.message(), cause, false, false);
        this.expert = expert;
        this.failure = failure;
        this.attempts = attempts;
        this.skipped = List.copyOf(skipped);
    }

    /** The expert whose backend failed (the last one tried). */
    public String expert() {
        return expert;
    }

    public BackendFailure failure() {
        return failure;
    }

    /** Calls made to that backend (retries included); 0 when it was not called (circuit open, bulkhead full). */
    public int attempts() {
        return attempts;
    }

    /** Every candidate that could not answer, in the order tried (empty for a single backend's failure). */
    public List<ExpertDispatcher.Skipped> skipped() {
        return skipped;
    }
}
