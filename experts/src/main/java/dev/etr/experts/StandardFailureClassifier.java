package dev.etr.experts;

import dev.etr.experts.BackendFailure.Kind;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/** {@link FailureClassifier#standard()}. */
final class StandardFailureClassifier implements FailureClassifier {

    static final FailureClassifier INSTANCE = new StandardFailureClassifier();

    private static final Set<Integer> RETRIABLE_STATUSES = Set.of(429, 502, 503, 504);

    private StandardFailureClassifier() {
    }

    @Override
    public BackendFailure classify(Throwable error) {
        // Transports wrap their causes (Netty's AnnotatedConnectException, Vert.x's VertxException): look down the chain.
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (isTimeout(t)) {
                return new BackendFailure(Kind.TIMEOUT, 504, true, "the expert backend did not answer in time");
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException) {
                return new BackendFailure(Kind.UNREACHABLE, 502, true, "the expert backend is unreachable");
            }
            if (t instanceof SSLException) {
                return new BackendFailure(Kind.UNREACHABLE, 502, false, "TLS handshake with the expert backend failed");
            }
            if (t instanceof HttpClosedException || t instanceof StreamResetException
                    || t instanceof ClosedChannelException || t instanceof IOException) {
                return new BackendFailure(Kind.CONNECTION_LOST, 502, true, "the expert backend closed the connection");
            }
        }
        // Unknown: an answer is unlikely to come from trying again.
        return new BackendFailure(Kind.CONNECTION_LOST, 502, false, "the expert backend failed");
    }

    // Netty's ConnectTimeoutException is a ConnectException, so timeouts are tested first.
    private static boolean isTimeout(Throwable t) {
        return t instanceof TimeoutException || t instanceof SocketTimeoutException
                || t.getClass().getName().equals("io.netty.channel.ConnectTimeoutException");
    }

    @Override
    public Optional<BackendFailure> classify(int status) {
        if (status < 400) {
            return Optional.empty();
        }
        return Optional.of(new BackendFailure(Kind.UPSTREAM_STATUS, status, RETRIABLE_STATUSES.contains(status),
                "the expert backend answered " + status));
    }
}
