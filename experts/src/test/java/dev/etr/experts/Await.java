package dev.etr.experts;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Blocks a test thread on a Vert.x future, with a bound so a broken test fails instead of hanging. */
final class Await {

    private Await() {
    }

    static <T> T result(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("future failed", e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Throwable failure(Future<?> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure, got " + future.result());
    }

    /** Runs a call the way the gateway does: on a Vert.x context, where its reply is delivered. */
    static <T> Future<T> onContext(Vertx vertx, Supplier<Future<T>> call) {
        Context context = vertx.getOrCreateContext();
        return Future.future(promise -> context.runOnContext(v -> call.get().onComplete(promise)));
    }

    /** Reads a whole body; call it on the stream's context (e.g. inside {@code compose}). */
    static Future<Buffer> body(ReadStream<Buffer> stream) {
        Promise<Buffer> promise = Promise.promise();
        Buffer all = Buffer.buffer();
        stream.handler(all::appendBuffer).exceptionHandler(promise::tryFail).endHandler(v -> promise.tryComplete(all));
        stream.resume();
        return promise.future();
    }
}
