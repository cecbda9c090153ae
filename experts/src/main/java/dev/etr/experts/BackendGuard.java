package dev.etr.experts;

import dev.etr.experts.BackendFailure.Kind;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Timer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One backend's fault tolerance around {@link ExpertBackend#send}: circuit breaker, bulkhead, time-to-first-byte and
 * total timeouts, and retries with backoff, all non-blocking on the caller's Vert.x context (timers, never sleeps).
 *
 * <p>An attempt is <em>committed</em>, and from then on never retried nor failed over, once its answer has started:
 * the first event of a stream, or the whole of a plain answer (read ahead, at most {@link #MAX_READ_AHEAD} bytes, and
 * checked to be JSON when the status is 2xx). Before that, any failure is classified once and that verdict decides:
 * retry the same backend (retriable, and attempts left), record a failure in the circuit breaker (the backend's fault),
 * and whether the dispatcher may ask the next candidate.
 */
final class BackendGuard {

    /** A plain answer larger than this is forwarded as it arrives, without waiting for its end. */
    static final long MAX_READ_AHEAD = 8L * 1024 * 1024;

    /** Told about every failed attempt (metrics); called on the event loop. */
    @FunctionalInterface
    interface AttemptListener {
        void failed(BackendFailure failure);
    }

    private final Expert expert;
    private final CircuitBreaker circuitBreaker;
    private final Bulkhead bulkhead;
    private final Retry retry;
    private final FailureClassifier classifier;
    private final long firstByteMillis;
    private final long totalMillis;

    BackendGuard(Expert expert, CircuitBreaker circuitBreaker, Bulkhead bulkhead, Retry retry,
                 FailureClassifier classifier, Duration firstByteTimeout, Duration totalTimeout) {
        this.expert = expert;
        this.circuitBreaker = circuitBreaker;
        this.bulkhead = bulkhead;
        this.retry = retry;
        this.classifier = classifier;
        this.firstByteMillis = Math.max(1, firstByteTimeout.toMillis());
        this.totalMillis = Math.max(1, totalTimeout.toMillis());
    }

    ExpertBackend backend() {
        return expert.backend();
    }

    CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }

    /**
     * Sends {@code request} (already prepared for this expert) with retries. Call it on a Vert.x context.
     *
     * @return a committed reply (2xx, or a 4xx that is the request's fault, passed through as it is); or a
     * {@link BackendException} with the last attempt's verdict and the number of calls made; or the client's
     * abandonment, as is
     */
    Future<BackendReply> send(ChatRequest request, CallContext call, AttemptListener listener) {
        Context context = Vertx.currentContext();
        if (context == null) {
            throw new IllegalStateException("call backends on a Vert.x context");
        }
        Promise<BackendReply> result = Promise.promise();
        new Call(context.owner(), request, call, listener, result).attempt();
        return result.future();
    }

    /** The attempts of one client request. */
    private final class Call {
        private final Vertx vertx;
        private final ChatRequest request;
        private final CallContext call;
        private final AttemptListener listener;
        private final Promise<BackendReply> result;
        private final Retry.AsyncContext<Object> retries = retry.asyncContext();
        private int attempts;

        Call(Vertx vertx, ChatRequest request, CallContext call, AttemptListener listener,
             Promise<BackendReply> result) {
            this.vertx = vertx;
            this.request = request;
            this.call = call;
            this.listener = listener;
            this.result = result;
        }

        void attempt() {
            if (call.abandoned().isComplete()) {
                result.tryFail(new IllegalStateException("client went away"));
                return;
            }
            if (!circuitBreaker.tryAcquirePermission()) {
                reject(new BackendFailure(Kind.CIRCUIT_OPEN, 503, false,
                        "the expert backend's circuit breaker is open after repeated failures", true, null));
                return;
            }
            if (!bulkhead.tryAcquirePermission()) {
                circuitBreaker.releasePermission();
                reject(new BackendFailure(Kind.BULKHEAD_FULL, 503, false,
                        "the expert backend has its maximum of calls in flight", true, null));
                return;
            }
            attempts++;
            new Attempt(this).start();
        }

        /** Not called at all: nothing to record, nothing to retry. */
        private void reject(BackendFailure failure) {
            listener.failed(failure);
            result.tryFail(new BackendException(expert.name(), failure, null, attempts, java.util.List.of()));
        }

        /** The attempt failed before committing; its permissions are released already. */
        void failed(BackendFailure failure, Throwable cause) {
            if (call.abandoned().isComplete()) {
                result.tryFail(cause);
                return;
            }
            listener.failed(failure);
            BackendException error = new BackendException(expert.name(), failure, cause, attempts, java.util.List.of());
            long delay = retries.onError(error);
            if (delay < 0) {
                result.tryFail(error);
                return;
            }
            Timer wait = vertx.timer(delay, TimeUnit.MILLISECONDS);
            call.abandoned().onComplete(gone -> wait.cancel());
            wait.onComplete(waited -> {
                if (waited.succeeded()) {
                    attempt();
                } else {
                    result.tryFail(cause);
                }
            });
        }

        void committed(BackendReply reply) {
            retries.onComplete();
            result.tryComplete(reply);
        }
    }

    /** One call to the backend, from permission to the end of its body. */
    private final class Attempt {
        private final Call owner;
        private final Promise<Void> abort = Promise.promise();
        private long started;
        private long firstByteTimer = -1;
        private long totalTimer = -1;
        private boolean settled;
        private boolean committed;
        private BackendReply reply;
        private GuardedBody body;

        Attempt(Call owner) {
            this.owner = owner;
        }

        void start() {
            started = circuitBreaker.getCurrentTimestamp();
            owner.call.abandoned().onComplete(gone -> abort.tryComplete());
            Vertx vertx = owner.vertx;
            firstByteTimer = vertx.setTimer(firstByteMillis, id -> timedOut("no first byte within " + firstByteMillis + " ms"));
            totalTimer = vertx.setTimer(totalMillis, id -> timedOut("no complete answer within " + totalMillis + " ms"));
            Future<BackendReply> sent;
            try {
                sent = expert.backend().send(owner.request, new CallContext(owner.call.requestId(), abort.future()));
            } catch (RuntimeException e) {
                sent = Future.failedFuture(e);
            }
            sent.onComplete(outcome -> {
                if (settled) {
                    if (outcome.succeeded()) {
                        outcome.result().cancel();
                    }
                    return;
                }
                if (outcome.failed()) {
                    fail(classifier.classify(outcome.cause()), outcome.cause());
                    return;
                }
                answered(outcome.result());
            });
        }

        private void answered(BackendReply answer) {
            reply = answer;
            Optional<BackendFailure> failure = classifier.classify(answer.status(), answer.headers());
            if (failure.isPresent() && failure.get().backendFault()) {
                answer.cancel();
                fail(failure.get(), new BackendException(expert.name(), failure.get(), null));
                return;
            }
            body = new GuardedBody(answer.body(), answer::cancel);
            body.firstByte().onComplete(first -> cancelTimer(firstByteTimer));
            if (failure.isPresent()) {
                commit();  // the request's fault (4xx): passed through as the upstream wrote it
                return;
            }
            boolean stream = isEventStream(answer.headers());
            Future<Void> primed = stream ? body.primeFirst() : body.primeAll(MAX_READ_AHEAD);
            primed.onComplete(ready -> {
                if (settled) {
                    return;
                }
                if (body.failure() != null) {
                    fail(classifier.classify(body.failure()), body.failure());
                } else if (!stream && body.ended() && !isJsonObject(body.readAhead())) {
                    Throwable malformed = new MalformedResponseException("the body of a " + answer.status()
                            + " answer is not a JSON object", null);
                    body.cancel();
                    fail(classifier.classify(malformed), malformed);
                } else if (stream && body.ended() && body.readAhead().length() == 0) {
                    Throwable empty = new MalformedResponseException("the stream ended without any event", null);
                    fail(classifier.classify(empty), empty);
                } else {
                    commit();
                }
            });
        }

        private void timedOut(String what) {
            TimeoutException timeout = new TimeoutException(what);
            if (committed) {
                body.fail(timeout);  // mid-answer: the consumer sees the error, the upstream is reset
                return;
            }
            if (settled) {
                return;
            }
            settled = true;  // before resetting: the reset's own failure must not count as this attempt's outcome
            abort.tryComplete();
            if (body != null) {
                body.cancel();
            } else if (reply != null) {
                reply.cancel();
            }
            fail(classifier.classify(timeout), timeout);
        }

        private void fail(BackendFailure failure, Throwable cause) {
            settled = true;
            cancelTimer(firstByteTimer);
            cancelTimer(totalTimer);
            bulkhead.onComplete();
            record(failure, cause);
            owner.failed(failure, cause);
        }

        private void record(BackendFailure failure, Throwable cause) {
            long elapsed = circuitBreaker.getCurrentTimestamp() - started;
            if (owner.call.abandoned().isComplete() || cause instanceof GuardedBody.Cancelled) {
                circuitBreaker.releasePermission();  // nobody waits for a verdict: the backend is not judged
            } else if (failure == null) {
                circuitBreaker.onSuccess(elapsed, circuitBreaker.getTimestampUnit());
            } else if (failure.backendFault()) {
                circuitBreaker.onError(elapsed, circuitBreaker.getTimestampUnit(),
                        cause != null ? cause : new BackendException(expert.name(), failure, null));
            } else {
                circuitBreaker.onSuccess(elapsed, circuitBreaker.getTimestampUnit());  // it answered; the request was wrong
            }
        }

        private void commit() {
            settled = true;
            committed = true;
            cancelTimer(firstByteTimer);
            long elapsed = circuitBreaker.getCurrentTimestamp() - started;
            body.upstreamDone().onComplete(done -> {
                cancelTimer(totalTimer);
                bulkhead.onComplete();
                // the duration judged for slow calls is the time to commit (first event, or whole plain answer)
                if (owner.call.abandoned().isComplete() || done.cause() instanceof GuardedBody.Cancelled) {
                    circuitBreaker.releasePermission();
                } else if (done.succeeded()) {
                    circuitBreaker.onSuccess(elapsed, circuitBreaker.getTimestampUnit());
                } else {
                    BackendFailure failure = classifier.classify(done.cause());
                    if (failure.backendFault()) {
                        circuitBreaker.onError(elapsed, circuitBreaker.getTimestampUnit(), done.cause());
                    } else {
                        circuitBreaker.onSuccess(elapsed, circuitBreaker.getTimestampUnit());
                    }
                }
            });
            body.handOver();
            owner.committed(new GuardedReply(reply, body));
        }

        private void cancelTimer(long id) {
            if (id >= 0) {
                owner.vertx.cancelTimer(id);
            }
        }
    }

    private static boolean isEventStream(MultiMap headers) {
        String type = headers.get(HttpHeaders.CONTENT_TYPE);
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
    }

    private static boolean isJsonObject(Buffer body) {
        try {
            return body.length() > 0 && new JsonObject(body) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The upstream's status and headers with the guarded body. */
    private record GuardedReply(BackendReply upstream, GuardedBody guarded) implements BackendReply {

        @Override
        public int status() {
            return upstream.status();
        }

        @Override
        public MultiMap headers() {
            return upstream.headers();
        }

        @Override
        public ReadStream<Buffer> body() {
            return guarded;
        }

        @Override
        public void cancel() {
            guarded.cancel();
        }
    }
}
