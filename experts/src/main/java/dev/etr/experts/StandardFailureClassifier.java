package dev.etr.experts;

import dev.etr.experts.BackendFailure.Kind;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/** {@link FailureClassifier#standard()}. */
final class StandardFailureClassifier implements FailureClassifier {

    static final FailureClassifier INSTANCE = new StandardFailureClassifier(Clock.systemUTC());

    private static final Set<Integer> RETRIABLE_STATUSES = Set.of(429, 502, 503, 504);

    private final Clock clock;

    StandardFailureClassifier(Clock clock) {
        this.clock = clock;
    }

    @Override
    public BackendFailure classify(Throwable error) {
        // Transports wrap their causes (Netty's AnnotatedConnectException, Vert.x's VertxException): look down the chain.
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof BackendException backend) {
                return backend.failure();
            }
            if (isTimeout(t)) {
                return new BackendFailure(Kind.TIMEOUT, 504, false, "the expert backend did not answer in time",
                        true, null);
            }
            if (t instanceof MalformedResponseException) {
                return new BackendFailure(Kind.MALFORMED_RESPONSE, 502, false,
                        "the expert backend answered something that is not a chat completion", true, null);
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException) {
                return new BackendFailure(Kind.UNREACHABLE, 502, true, "the expert backend is unreachable", true, null);
            }
            if (t instanceof SSLException) {
                return new BackendFailure(Kind.UNREACHABLE, 502, false, "TLS handshake with the expert backend failed",
                        true, null);
            }
            if (t instanceof HttpClosedException || t instanceof StreamResetException
                    || t instanceof ClosedChannelException || t instanceof IOException) {
                return new BackendFailure(Kind.CONNECTION_LOST, 502, true, "the expert backend closed the connection",
                        true, null);
            }
        }
        // Unknown: an answer is unlikely to come from trying the same backend again; another one may do better.
        return new BackendFailure(Kind.CONNECTION_LOST, 502, false, "the expert backend failed", true, null);
    }

    // Netty's ConnectTimeoutException is a ConnectException, so timeouts are tested first.
    private static boolean isTimeout(Throwable t) {
        return t instanceof TimeoutException || t instanceof SocketTimeoutException
                || t.getClass().getName().equals("io.netty.channel.ConnectTimeoutException");
    }

    @Override
    public Optional<BackendFailure> classify(int status) {
        return classify(status, null);
    }

    @Override
    public Optional<BackendFailure> classify(int status, MultiMap headers) {
        if (status < 400) {
            return Optional.empty();
        }
        boolean backendFault = status >= 500 || status == 429;
        Duration retryAfter = status == 429 || status == 503 ? retryAfter(headers) : null;
        return Optional.of(new BackendFailure(Kind.UPSTREAM_STATUS, status, RETRIABLE_STATUSES.contains(status),
                "the expert backend answered " + status, backendFault, retryAfter));
    }

    /** {@code retry-after-ms} (OpenAI, Azure) or {@code Retry-After}: delay-seconds or an HTTP date; null if absent. */
    Duration retryAfter(MultiMap headers) {
        if (headers == null) {
            return null;
        }
        String millis = headers.get("retry-after-ms");
        if (millis != null) {
            try {
                return Duration.ofMillis(Math.max(0, (long) Double.parseDouble(millis.trim())));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        String value = headers.get("Retry-After");
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(clock.instant(), at.toInstant());
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
