package dev.etr.experts;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An upstream body that can be read ahead before anyone consumes it, so a call is committed only once its answer has
 * started (the first event of a stream) or is complete (a plain answer), and can still be failed over until then.
 *
 * <p>Before {@link #handOver()}, chunks read ahead are kept; after it, they are emitted first, then the rest of the
 * upstream with its back-pressure ({@code pause}/{@code resume}/{@code fetch} are passed on). {@link #fail} ends the
 * body with an error of etr's own (e.g. the total timeout) and resets the upstream. Every method runs on the
 * upstream's context.
 */
final class GuardedBody implements ReadStream<Buffer> {

    /** Raised by {@link #upstreamDone()} when the consumer cancelled the body. */
    static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled by the consumer", null, false, false);
        }
    }

    private final ReadStream<Buffer> upstream;
    private final Runnable cancelUpstream;
    private final Deque<Buffer> pending = new ArrayDeque<>();
    private final Promise<Void> firstByte = Promise.promise();
    private final Promise<Void> upstreamDone = Promise.promise();

    private Promise<Void> primed;
    private boolean primeAll;
    private long primeLimit;
    private long primedBytes;
    private boolean handedOver;

    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private long demand;
    private boolean ended;
    private Throwable failure;
    private boolean cancelled;
    private boolean terminalDelivered;

    GuardedBody(ReadStream<Buffer> upstream, Runnable cancelUpstream) {
        this.upstream = upstream;
        this.cancelUpstream = cancelUpstream;
        upstream.handler(this::onChunk);
        upstream.endHandler(v -> onEnd());
        upstream.exceptionHandler(this::onFailure);
    }

    /** Reads ahead until the first chunk, the end or a failure. */
    Future<Void> primeFirst() {
        return prime(false, 0);
    }

    /** Reads ahead until the end, a failure, or more than {@code limit} bytes. */
    Future<Void> primeAll(long limit) {
        return prime(true, limit);
    }

    private Future<Void> prime(boolean all, long limit) {
        primed = Promise.promise();
        primeAll = all;
        primeLimit = limit;
        if (!pending.isEmpty() || ended || failure != null) {
            primed.complete();
        } else if (all) {
            upstream.resume();
        } else {
            upstream.fetch(1);
        }
        return primed.future();
    }

    /** Completes when the first byte of the body arrives. */
    Future<Void> firstByte() {
        return firstByte.future();
    }

    /** Completes when the upstream body ended; fails with its error, or with {@link Cancelled}. */
    Future<Void> upstreamDone() {
        return upstreamDone.future();
    }

    boolean ended() {
        return ended;
    }

    Throwable failure() {
        return failure;
    }

    /** What was read ahead, as one buffer (for validation). */
    Buffer readAhead() {
        Buffer all = Buffer.buffer();
        pending.forEach(all::appendBuffer);
        return all;
    }

    /** From now on the consumer reads: read-ahead chunks first. */
    void handOver() {
        handedOver = true;
    }

    /** Ends the body with {@code error} (delivered to the consumer) and resets the upstream. */
    void fail(Throwable error) {
        if (ended || failure != null || cancelled) {
            return;
        }
        failure = error;
        pending.clear();
        upstreamDone.tryFail(error);
        cancelUpstream.run();
        if (primed != null) {
            primed.tryComplete();
        }
        drain();
    }

    /** Abandons the body: no end, no error follows; the upstream is reset. Idempotent. */
    void cancel() {
        if (cancelled) {
            return;
        }
        boolean running = !ended && failure == null;
        cancelled = true;
        pending.clear();
        upstreamDone.tryFail(new Cancelled());
        if (running) {
            cancelUpstream.run();
        }
    }

    private void onChunk(Buffer chunk) {
        if (cancelled || failure != null) {
            return;
        }
        firstByte.tryComplete();
        pending.add(chunk);
        if (!handedOver) {
            primedBytes += chunk.length();
            if (!primeAll || primedBytes > primeLimit) {
                upstream.pause();
                primed.tryComplete();
            }
            return;
        }
        drain();
    }

    private void onEnd() {
        if (cancelled || failure != null) {
            return;
        }
        ended = true;
        upstreamDone.tryComplete();
        if (primed != null) {
            primed.tryComplete();
        }
        drain();
    }

    private void onFailure(Throwable error) {
        if (cancelled || failure != null || ended) {
            return;
        }
        failure = error;
        upstreamDone.tryFail(error);
        if (primed != null) {
            primed.tryComplete();
        }
        drain();
    }

    private void drain() {
        if (!handedOver || terminalDelivered || cancelled) {
            return;
        }
        while (handler != null && demand > 0 && !pending.isEmpty()) {
            if (demand != Long.MAX_VALUE) {
                demand--;
            }
            handler.handle(pending.poll());
            if (cancelled || terminalDelivered) {
                return;
            }
        }
        if (!pending.isEmpty()) {
            return;
        }
        if (failure != null) {
            terminalDelivered = true;
            if (exceptionHandler != null) {
                exceptionHandler.handle(failure);
            }
        } else if (ended) {
            terminalDelivered = true;
            if (endHandler != null) {
                endHandler.handle(null);
            }
        }
    }

    @Override
    public GuardedBody handler(Handler<Buffer> handler) {
        this.handler = handler;
        return this;
    }

    @Override
    public GuardedBody endHandler(Handler<Void> endHandler) {
        this.endHandler = endHandler;
        return this;
    }

    @Override
    public GuardedBody exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        return this;
    }

    @Override
    public GuardedBody pause() {
        demand = 0;
        if (!ended && failure == null && !cancelled) {
            upstream.pause();
        }
        return this;
    }

    @Override
    public GuardedBody resume() {
        return fetch(Long.MAX_VALUE);
    }

    @Override
    public GuardedBody fetch(long amount) {
        if (amount <= 0) {
            return this;
        }
        demand = Long.MAX_VALUE - demand < amount ? Long.MAX_VALUE : demand + amount;
        drain();
        if (demand > 0 && pending.isEmpty() && !ended && failure == null && !cancelled) {
            if (demand == Long.MAX_VALUE) {
                upstream.resume();
            } else {
                upstream.fetch(amount);
            }
        }
        return this;
    }
}
