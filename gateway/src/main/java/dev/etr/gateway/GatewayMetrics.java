package dev.etr.gateway;

import dev.etr.experts.BackendFailure;
import dev.etr.experts.Resilience;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * etr's own meters (Vert.x adds its HTTP, pool and event-loop meters to the same registry):
 * <ul>
 *   <li>{@code etr_requests_seconds{endpoint,expert,status}}: every answered request, by routed expert and status;</li>
 *   <li>{@code etr_route_duration_seconds}: routing latency histogram (worker-pool wait included);</li>
 *   <li>{@code etr_backend_errors_total{expert,kind,status}}: failed upstream attempts;</li>
 *   <li>{@code etr_streams_inflight}: streamed answers being forwarded right now;</li>
 *   <li>{@code etr_fallbacks_total{expert,served_by,reason}}: requests the routed expert could not answer, by who
 *       answered instead ({@code none} when nobody could) and why;</li>
 *   <li>{@code etr_broken_answers_total{expert,kind,stream}}: answers that broke off after their first byte reached
 *       the client;</li>
 *   <li>Resilience4j's {@code resilience4j_circuitbreaker_state{name,state}} (1 for the current state),
 *       {@code resilience4j_circuitbreaker_calls_*}, {@code resilience4j_bulkhead_*} and {@code resilience4j_retry_calls_total}
 *       per expert.</li>
 * </ul>
 */
final class GatewayMetrics {

    /** The {@code expert} tag of requests that never reached an expert (bad request, unknown model, …). */
    static final String NO_EXPERT = "none";

    private final MeterRegistry registry;
    private final Timer routing;
    private final AtomicInteger streams = new AtomicInteger();

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.routing = Timer.builder("etr.route.duration")
                .description("Time to decide which expert answers, worker-pool wait included")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        registry.gauge("etr.streams.inflight", streams);
    }

    /** Starts timing with the registry's clock. */
    Timer.Sample start() {
        return Timer.start(registry);
    }

    void routed(Timer.Sample sample) {
        sample.stop(routing);
    }

    void answered(Timer.Sample sample, String endpoint, String expert, int status) {
        sample.stop(Timer.builder("etr.requests")
                .description("Requests answered by etr, by routed expert and HTTP status")
                .tag("endpoint", endpoint).tag("expert", expert).tag("status", String.valueOf(status))
                .register(registry));
    }

    void backendFailed(String expert, BackendFailure failure) {
        Counter.builder("etr.backend.errors")
                .description("Failed upstream attempts, by expert, kind and status")
                .tag("expert", expert).tag("kind", failure.kind().name().toLowerCase())
                .tag("status", String.valueOf(failure.status()))
                .register(registry).increment();
    }

    void fallback(String expert, String servedBy, String reason) {
        Counter.builder("etr.fallbacks")
                .description("Requests the routed expert could not answer, by who answered instead and why")
                .tag("expert", expert).tag("served_by", servedBy).tag("reason", reason)
                .register(registry).increment();
    }

    void brokenAnswer(String expert, BackendFailure failure, boolean stream) {
        Counter.builder("etr.broken.answers")
                .description("Answers that broke off after their first byte had reached the client")
                .tag("expert", expert).tag("kind", failure.kind().name().toLowerCase())
                .tag("stream", String.valueOf(stream))
                .register(registry).increment();
    }

    /** Circuit breaker, bulkhead and retry meters of every backend, tagged by expert name. */
    void bind(Resilience resilience) {
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(resilience.circuitBreakers()).bindTo(registry);
        TaggedBulkheadMetrics.ofBulkheadRegistry(resilience.bulkheads()).bindTo(registry);
        TaggedRetryMetrics.ofRetryRegistry(resilience.retries()).bindTo(registry);
    }

    void streamStarted() {
        streams.incrementAndGet();
    }

    void streamEnded() {
        streams.decrementAndGet();
    }

    int streamsInFlight() {
        return streams.get();
    }
}
