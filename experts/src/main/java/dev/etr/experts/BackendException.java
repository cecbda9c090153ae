package dev.etr.experts;

/** A failed upstream call, already classified; what {@link ExpertDispatcher} fails with. */
public final class BackendException extends RuntimeException {

    private final String expert;
    private final BackendFailure failure;

    public BackendException(String expert, BackendFailure failure, Throwable cause) {
        super(expert + ": " + failure.message(), cause);
        this.expert = expert;
        this.failure = failure;
    }

    /** The expert whose backend failed (the last one tried). */
    public String expert() {
        return expert;
    }

    public BackendFailure failure() {
        return failure;
    }
}
