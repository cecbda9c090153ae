package dev.etr.experts;

/**
 * Why an upstream call did not give a usable answer, sorted once by a {@link FailureClassifier}.
 *
 * <p>The same value drives every later decision: whether another attempt may help ({@link #retriable}), and the
 * HTTP status etr answers with when nobody else answers instead ({@link #status}).
 *
 * @param kind      what went wrong
 * @param status    the HTTP status for the client: 502 unreachable or connection lost, 504 timeout, the upstream's
 *                  own status for {@link Kind#UPSTREAM_STATUS}
 * @param retriable true when the same request may succeed on another attempt or another backend
 * @param message   a client-safe description (no addresses, no secrets)
 */
public record BackendFailure(Kind kind, int status, boolean retriable, String message) {

    public enum Kind {
        /** Connection refused, unknown host, TLS handshake failure: nothing reached a server. */
        UNREACHABLE("backend_unreachable"),
        /** Connecting or waiting for data took longer than the backend's timeout. */
        TIMEOUT("backend_timeout"),
        /** The connection dropped before the answer was complete. */
        CONNECTION_LOST("backend_connection_lost"),
        /** The upstream answered with an error status (4xx/5xx). */
        UPSTREAM_STATUS("backend_error");

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
