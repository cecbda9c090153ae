package dev.etr.experts;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * An in-memory body that behaves like a network one: starts paused, honours {@code pause}/{@code fetch} and emits
 * on its context, optionally one chunk per {@code paceMillis} so a demo "types" its answer.
 */
final class ChunkStream implements ReadStream<Buffer> {

    private final Context context;
    private final Deque<Buffer> chunks;
    private final long paceMillis;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private long demand;
    private boolean scheduled;
    private boolean done;

    ChunkStream(Context context, List<Buffer> chunks, long paceMillis) {
        this.context = context;
        this.chunks = new ArrayDeque<>(chunks);
        this.paceMillis = paceMillis;
    }

    @Override
    public ChunkStream handler(Handler<Buffer> handler) {
        this.handler = handler;
        schedule();
        return this;
    }

    @Override
    public ChunkStream endHandler(Handler<Void> endHandler) {
        this.endHandler = endHandler;
        return this;
    }

    @Override
    public ChunkStream exceptionHandler(Handler<Throwable> handler) {
        return this;  // memory does not fail
    }

    @Override
    public ChunkStream pause() {
        demand = 0;
        return this;
    }

    @Override
    public ChunkStream resume() {
        return fetch(Long.MAX_VALUE);
    }

    @Override
    public ChunkStream fetch(long amount) {
        demand = Long.MAX_VALUE - demand < amount ? Long.MAX_VALUE : demand + amount;
        schedule();
        return this;
    }

    /** Drops what is left; no end event follows, as with a reset connection. */
    void cancel() {
        chunks.clear();
        done = true;
    }

    private void schedule() {
        if (scheduled || done || handler == null || demand == 0) {
            return;
        }
        scheduled = true;
        if (paceMillis > 0) {
            context.owner().setTimer(paceMillis, id -> context.runOnContext(v -> emit()));
        } else {
            context.runOnContext(v -> emit());
        }
    }

    private void emit() {
        scheduled = false;
        while (!done && handler != null && demand > 0 && !chunks.isEmpty()) {
            if (demand != Long.MAX_VALUE) {
                demand--;
            }
            handler.handle(chunks.poll());
            if (paceMillis > 0) {
                break;
            }
        }
        if (!done && chunks.isEmpty()) {
            done = true;
            if (endHandler != null) {
                endHandler.handle(null);
            }
            return;
        }
        schedule();
    }
}
