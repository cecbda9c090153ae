package dev.etr.experts;

import java.time.Duration;

/**
 * Why an upstream call did not give a usable answer, sorted once by a {@link FailureClassifier}.
 *
 * <p>The same value drives every later decision: whether the same backend is tried again ({@link #retriable}),
 * whether the failure counts against the backend in its circuit breaker and another candidate may answer instead
 * ({@link #backendFault}), how long to wait before the retry ({@link #retryAfter}), and the HTTP status etr answers
 * with when nobody answers instead ({@link #status}).
 *
 * @param kind         what went wrong
 * @param status       the HTTP status for the client: 502 unreachable, connection lost or malformed answer, 504
 *                     timeout, 503 circuit open or bulkhead full, the upstream's own status for
 *                     {@link Kind#UPSTREAM_STATUS}
 * @param retriable    true when the same backend may succeed on another attempt (connect errors, resets, 429, 502,
 *                     503, 504)
 * @param message      a client-safe description (no addresses, no secrets)
 * @param backendFault true when the backend, not the request, is at fault: its circuit breaker records a failure and
 *                     the next candidate (fallback) is asked; false for the upstream's 4xx answers, which reach the
 *                     client as they are
 * @param retryAfter   how long the upstream asked to wait ({@code Retry-After}); null when it did not say
 */
public record BackendFailure(Kind kind, int status, boolean retriable, String message, boolean backendFault,
                             Duration retryAfter) {

    /** A failure with no {@code Retry-After}; the backend is at fault when it is retriable or a server error. */
    public BackendFailure(Kind kind, int status, boolean retriable, String message) {
        this(kind, status, retriable, message, retriable || status >= 500, null);
    }

    public enum Kind {
        /** Connection refused, unknown host, TLS handshake failure: nothing reached a server. */
        UNREACHABLE("backend_unreachable"),
        /** No first byte, or no complete answer, within the backend's timeouts. */
        TIMEOUT("backend_timeout"),
        /** The connection dropped before the answer was complete. */
        CONNECTION_LOST("backend_connection_lost"),
        /** The upstream answered with an error status (4xx/5xx). */
        UPSTREAM_STATUS("backend_error"),
        /** The upstream answered 2xx with a body that is not JSON. */
        MALFORMED_RESPONSE("backend_malformed_response"),
        /** The backend's circuit breaker is open: not called at all. */
        CIRCUIT_OPEN("circuit_open"),
        /** The backend already has its maximum of calls in flight: not called at all. */
        BULKHEAD_FULL("bulkhead_full");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        /** The {@code error.code} etr answers with. */
        public String code() {
            return code;
        }
    }
}
