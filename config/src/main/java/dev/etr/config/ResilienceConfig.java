package dev.etr.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Duration;
import java.util.List;

/**
 * Fault tolerance of one backend ({@code backend.resilience}); every key is optional and falls back to the defaults
 * below.
 *
 * @param firstByteTimeout longest wait from sending a request to the first byte of the answer's body (the first event
 *                         of a stream); default: the backend's {@code timeout}
 * @param totalTimeout     longest time one call may take, body included (a stream still running then ends with an
 *                         error event); default 10m
 * @param retry            retries of the same backend after a retriable failure
 * @param circuitBreaker   stops calling a backend that keeps failing
 * @param bulkhead         caps the calls in flight to this backend
 * @param fallback         experts asked, in this order, when this one cannot answer; the generalist comes after them
 */
public record ResilienceConfig(
        @JsonSerialize(using = Durations.Serializer.class)
        @JsonDeserialize(using = Durations.Deserializer.class)
        Duration firstByteTimeout,
        @JsonSerialize(using = Durations.Serializer.class)
        @JsonDeserialize(using = Durations.Deserializer.class)
        Duration totalTimeout,
        Retry retry,
        CircuitBreaker circuitBreaker,
        Bulkhead bulkhead,
        List<String> fallback) {

    public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofMinutes(10);

    /** Every default. */
    public static final ResilienceConfig DEFAULTS = new ResilienceConfig(null, null, null, null, null, null);

    public ResilienceConfig {
        totalTimeout = totalTimeout == null ? DEFAULT_TOTAL_TIMEOUT : totalTimeout;
        retry = retry == null ? Retry.DEFAULTS : retry;
        circuitBreaker = circuitBreaker == null ? CircuitBreaker.DEFAULTS : circuitBreaker;
        bulkhead = bulkhead == null ? Bulkhead.DEFAULTS : bulkhead;
        fallback = Checks.copyWithoutNulls(fallback, "fallback");
    }

    /** {@link #firstByteTimeout()}, or {@code timeout} when it is not set. */
    public Duration firstByteTimeoutOr(Duration timeout) {
        return firstByteTimeout == null ? timeout : firstByteTimeout;
    }

    /**
     * Retries with exponential backoff and jitter, only after a retriable failure (connect error, connection reset,
     * 429, 502, 503, 504) and only before anything reached the client.
     *
     * @param maxAttempts    attempts in all, the first included (1 = no retry); default 3
     * @param initialBackoff wait before the first retry; default 250ms
     * @param multiplier     growth of the wait per retry; default 2
     * @param maxBackoff     cap of the wait; default 5s
     * @param jitter         randomisation of the wait, 0 to 1 (0.5: between half and one and a half times); default 0.5
     * @param maxRetryAfter  longest {@code Retry-After} honoured: asked to wait longer, etr falls back instead; default 10s
     */
    public record Retry(
            Integer maxAttempts,
            @JsonSerialize(using = Durations.Serializer.class)
            @JsonDeserialize(using = Durations.Deserializer.class)
            Duration initialBackoff,
            Double multiplier,
            @JsonSerialize(using = Durations.Serializer.class)
            @JsonDeserialize(using = Durations.Deserializer.class)
            Duration maxBackoff,
            Double jitter,
            @JsonSerialize(using = Durations.Serializer.class)
            @JsonDeserialize(using = Durations.Deserializer.class)
            Duration maxRetryAfter) {

        public static final Retry DEFAULTS = new Retry(null, null, null, null, null, null);

        public Retry {
            maxAttempts = maxAttempts == null ? 3 : maxAttempts;
            initialBackoff = initialBackoff == null ? Duration.ofMillis(250) : initialBackoff;
            multiplier = multiplier == null ? 2.0 : multiplier;
            maxBackoff = maxBackoff == null ? Duration.ofSeconds(5) : maxBackoff;
            jitter = jitter == null ? 0.5 : jitter;
            maxRetryAfter = maxRetryAfter == null ? Duration.ofSeconds(10) : maxRetryAfter;
        }
    }

    /**
     * A circuit breaker over the last {@code slidingWindowSize} calls: it opens when the failure rate or the slow-call
     * rate reaches its threshold (once {@code minimumNumberOfCalls} were recorded), rejects every call while open,
     * then lets {@code halfOpenCalls} probes through to decide whether to close again.
     *
     * @param enabled              false: never open; default true
     * @param failureRateThreshold percentage of failed calls that opens the circuit; default 50
     * @param slowCallRateThreshold percentage of slow calls that opens the circuit; default 80
     * @param slowCallDuration     a call slower than this to its first byte is slow; default 30s
     * @param slidingWindowSize    calls the rates are computed over; default 20
     * @param minimumNumberOfCalls calls recorded before the rates count; default 10
     * @param waitInOpenState      how long the circuit stays open before probing; default 30s
     * @param halfOpenCalls        probes let through when half-open; default 3
     */
    public record CircuitBreaker(
            Boolean enabled,
            Double failureRateThreshold,
            Double slowCallRateThreshold,
            @JsonSerialize(using = Durations.Serializer.class)
            @JsonDeserialize(using = Durations.Deserializer.class)
            Duration slowCallDuration,
            Integer slidingWindowSize,
            Integer minimumNumberOfCalls,
            @JsonSerialize(using = Durations.Serializer.class)
            @JsonDeserialize(using = Durations.Deserializer.class)
            Duration waitInOpenState,
            Integer halfOpenCalls) {

        public static final CircuitBreaker DEFAULTS = new CircuitBreaker(null, null, null, null, null, null, null, null);

        public CircuitBreaker {
            enabled = enabled == null || enabled;
            failureRateThreshold = failureRateThreshold == null ? 50.0 : failureRateThreshold;
            slowCallRateThreshold = slowCallRateThreshold == null ? 80.0 : slowCallRateThreshold;
            slowCallDuration = slowCallDuration == null ? Duration.ofSeconds(30) : slowCallDuration;
            slidingWindowSize = slidingWindowSize == null ? 20 : slidingWindowSize;
            minimumNumberOfCalls = minimumNumberOfCalls == null ? 10 : minimumNumberOfCalls;
            waitInOpenState = waitInOpenState == null ? Duration.ofSeconds(30) : waitInOpenState;
            halfOpenCalls = halfOpenCalls == null ? 3 : halfOpenCalls;
        }
    }

    /** @param maxConcurrentCalls calls in flight to this backend (streams count until they end); default 100 */
    public record Bulkhead(Integer maxConcurrentCalls) {

        public static final Bulkhead DEFAULTS = new Bulkhead(null);

        public Bulkhead {
            maxConcurrentCalls = maxConcurrentCalls == null ? 100 : maxConcurrentCalls;
        }
    }

    @Override
    public String toString() {
        return "ResilienceConfig[firstByteTimeout=" + (firstByteTimeout == null ? "timeout" : Durations.format(firstByteTimeout))
                + ", totalTimeout=" + Durations.format(totalTimeout) + ", " + retry + ", " + circuitBreaker + ", "
                + bulkhead + ", fallback=" + fallback + "]";
    }
}
