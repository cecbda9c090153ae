package dev.etr.experts;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * What an upstream answered: status, headers and the body as a stream.
 *
 * <p>The body is paused when the reply is handed over, so nothing is lost before the consumer attaches; piping it
 * ({@code body().pipeTo(response)}) forwards chunks as they arrive, with back-pressure.
 */
public interface BackendReply {

    int status();

    MultiMap headers();

    /** The body, paused; read it once. */
    ReadStream<Buffer> body();

    /** Abandons the reply and stops the upstream call (the connection is reset). Idempotent. */
    void cancel();
}
