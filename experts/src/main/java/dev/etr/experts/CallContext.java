package dev.etr.experts;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * The client request a backend call serves.
 *
 * @param requestId correlation id, forwarded upstream as {@code x-request-id}
 * @param abandoned completes when the client has gone away: backends then stop their upstream call, whether the
 *                  answer has started or not (an LLM may compute for minutes before its first byte)
 */
public record CallContext(String requestId, Future<Void> abandoned) {

    /** A call nobody abandons (tests, command-line use). */
    public static CallContext of(String requestId) {
        return new CallContext(requestId, Promise.<Void>promise().future());
    }
}
