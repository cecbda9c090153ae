package dev.etr.gateway;

import dev.etr.experts.BackendFailure;
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
 *   <li>{@code etr_streams_inflight}: streamed answers being forwarded right now.</li>
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
