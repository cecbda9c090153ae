package dev.etr.experts;

import dev.etr.config.BackendConfig;
import dev.etr.config.ResilienceConfig;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The Resilience4j circuit breakers, bulkheads and retries of every backend, one of each per expert name (the
 * generalist's is named {@code generalist}), built from the backend's {@code resilience} settings.
 *
 * <p>When an expert's backend is replaced (runtime registry), its guard is rebuilt: a new backend starts with a closed
 * circuit. The registries are exposed so that metrics can be bound to them (resilience4j-micrometer).
 *
 * <p>Time: the circuit breakers read the injected {@link Clock} (open-state wait, and call durations for the slow-call
 * rate), so a test can move time forward instead of sleeping.
 */
public final class Resilience {

    private final Clock clock;
    private final Function<Clock, Long> timestamp;
    private final TimeUnit timestampUnit;
    private final CircuitBreakerRegistry circuitBreakers = CircuitBreakerRegistry.ofDefaults();
    private final BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
    private final RetryRegistry retries = RetryRegistry.ofDefaults();
    private final Map<String, BackendGuard> guards = new ConcurrentHashMap<>();

    /** Real time. */
    public Resilience() {
        this.clock = Clock.systemUTC();
        this.timestamp = ignored -> System.nanoTime();
        this.timestampUnit = TimeUnit.NANOSECONDS;
    }

    /** Time as {@code clock} tells it (tests). */
    public Resilience(Clock clock) {
        this.clock = clock;
        this.timestamp = Clock::millis;
        this.timestampUnit = TimeUnit.MILLISECONDS;
    }

    public CircuitBreakerRegistry circuitBreakers() {
        return circuitBreakers;
    }

    public BulkheadRegistry bulkheads() {
        return bulkheads;
    }

    public RetryRegistry retries() {
        return retries;
    }

    /** The state of an expert's circuit, if it was ever called. */
    public Optional<CircuitBreaker.State> circuitState(String expert) {
        return Optional.ofNullable(guards.get(expert)).map(guard -> guard.circuitBreaker().getState());
    }

    /** The guard of {@code expert}'s backend, built on first use and rebuilt when the backend was replaced. */
    BackendGuard guard(Expert expert, FailureClassifier classifier) {
        BackendGuard current = guards.get(expert.name());
        if (current != null && current.backend() == expert.backend()) {
            return current;
        }
        return guards.compute(expert.name(), (name, existing) ->
                existing != null && existing.backend() == expert.backend() ? existing : build(expert, classifier));
    }

    private BackendGuard build(Expert expert, FailureClassifier classifier) {
        String name = expert.name();
        BackendConfig backend = expert.backend().config();
        ResilienceConfig settings = backend.resilience();
        ResilienceConfig.CircuitBreaker cb = settings.circuitBreaker();
        CircuitBreakerConfig cbConfig = CircuitBreakerConfig.custom()
                .failureRateThreshold(cb.failureRateThreshold().floatValue())
                .slowCallRateThreshold(cb.slowCallRateThreshold().floatValue())
                .slowCallDurationThreshold(cb.slowCallDuration())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(cb.slidingWindowSize())
                .minimumNumberOfCalls(cb.minimumNumberOfCalls())
                .waitDurationInOpenState(cb.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(cb.halfOpenCalls())
                // the guard records only what the classifier calls the backend's fault
                .recordException(error -> true)
                .clock(clock)
                .currentTimestampFunction(timestamp, timestampUnit)
                .build();
        BulkheadConfig bulkheadConfig = BulkheadConfig.custom()
                .maxConcurrentCalls(settings.bulkhead().maxConcurrentCalls())
                .maxWaitDuration(Duration.ZERO)  // never block an event loop: full means full
                .build();
        ResilienceConfig.Retry r = settings.retry();
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(
                Math.max(1, r.initialBackoff().toMillis()), r.multiplier(), r.jitter(),
                Math.max(Math.max(1, r.initialBackoff().toMillis()), r.maxBackoff().toMillis()));
        long maxRetryAfter = r.maxRetryAfter().toMillis();
        RetryConfig retryConfig = RetryConfig.<Object>custom()
                .maxAttempts(r.maxAttempts())
                .retryOnException(error -> error instanceof BackendException failed
                        && failed.failure().retriable()
                        && (failed.failure().retryAfter() == null
                            || failed.failure().retryAfter().toMillis() <= maxRetryAfter))
                .intervalBiFunction((attempt, outcome) -> {
                    if (outcome.isLeft() && outcome.getLeft() instanceof BackendException failed
                            && failed.failure().retryAfter() != null) {
                        return failed.failure().retryAfter().toMillis();  // the upstream said how long
                    }
                    return backoff.apply(attempt);
                })
                .build();
        // a new backend (first use, or replaced at runtime) starts afresh: closed circuit, empty bulkhead
        CircuitBreaker circuitBreaker = circuitBreakers.find(name).isPresent()
                ? replace(circuitBreakers.replace(name, CircuitBreaker.of(name, cbConfig)), circuitBreakers.find(name))
                : circuitBreakers.circuitBreaker(name, cbConfig);
        if (!cb.enabled()) {
            circuitBreaker.transitionToDisabledState();
        }
        Bulkhead bulkhead = bulkheads.find(name).isPresent()
                ? replace(bulkheads.replace(name, Bulkhead.of(name, bulkheadConfig)), bulkheads.find(name))
                : bulkheads.bulkhead(name, bulkheadConfig);
        Retry retry = retries.find(name).isPresent()
                ? replace(retries.replace(name, Retry.of(name, retryConfig)), retries.find(name))
                : retries.retry(name, retryConfig);
        return new BackendGuard(expert, circuitBreaker, bulkhead, retry, classifier,
                settings.firstByteTimeoutOr(backend.timeout()), settings.totalTimeout());
    }

    private static <T> T replace(Optional<T> old, Optional<T> current) {
        return current.orElseThrow();
    }
}
