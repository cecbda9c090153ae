package dev.etr.experts;

import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;

/**
 * Sends a request to the first candidate expert that answers.
 *
 * <p>Candidates are tried in order; the next one is tried only after a <em>retriable</em> failure of the previous
 * one (see {@link FailureClassifier}), and only while no byte has been forwarded, which holds here because a reply
 * is handed over before its body is read. The last candidate's answer is returned whatever its status, so an
 * upstream 4xx/5xx reaches the client as the upstream wrote it.
 */
public final class ExpertDispatcher {

    /** Told about every failed attempt, e.g. to count backend errors. Called on the event loop; must not block. */
    @FunctionalInterface
    public interface FailureListener {
        void failed(Expert expert, BackendFailure failure);
    }

    /** The reply and who gave it. */
    public record Dispatched(Expert servedBy, BackendReply reply) {
    }

    private final FailureClassifier classifier;
    private final FailureListener listener;

    public ExpertDispatcher(FailureClassifier classifier, FailureListener listener) {
        this.classifier = classifier;
        this.listener = listener;
    }

    /** The classifier every failure goes through, also for failures after the reply was handed over. */
    public FailureClassifier classifier() {
        return classifier;
    }

    /**
     * Call it on a Vert.x context, as {@link ExpertBackend#send}.
     *
     * @param candidates who may answer, best first; not empty
     * @return the first usable reply; failed with a {@link BackendException} when the last candidate could not answer
     */
    public Future<Dispatched> dispatch(List<Expert> candidates, ChatRequest request, CallContext call) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no candidate expert");
        }
        return attempt(candidates, 0, request, call);
    }

    private Future<Dispatched> attempt(List<Expert> candidates, int index, ChatRequest request, CallContext call) {
        Expert expert = candidates.get(index);
        boolean last = index == candidates.size() - 1;
        return expert.backend().send(expert.prepare(request), call).transform(result -> {
            if (call.abandoned().isComplete()) {
                // nobody is waiting: no further candidate, and no failure to count against this backend
                return Future.failedFuture(result.failed() ? result.cause() : new IllegalStateException("client went away"));
            }
            if (result.failed()) {
                BackendFailure failure = classifier.classify(result.cause());
                listener.failed(expert, failure);
                return failure.retriable() && !last
                        ? attempt(candidates, index + 1, request, call)
                        : Future.failedFuture(new BackendException(expert.name(), failure, result.cause()));
            }
            BackendReply reply = result.result();
            Optional<BackendFailure> failure = classifier.classify(reply.status());
            failure.ifPresent(f -> listener.failed(expert, f));
            if (failure.isPresent() && failure.get().retriable() && !last) {
                reply.cancel();
                return attempt(candidates, index + 1, request, call);
            }
            return Future.succeededFuture(new Dispatched(expert, reply));
        });
    }
}
