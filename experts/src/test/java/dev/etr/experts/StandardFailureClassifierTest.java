package dev.etr.experts;

import dev.etr.experts.BackendFailure.Kind;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.vertx.core.http.HttpHeaders;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;

class StandardFailureClassifierTest {

    private final FailureClassifier classifier = FailureClassifier.standard();

    @Test
    void should_answer_502_retriable_when_the_backend_is_unreachable() {
        assertThat(classifier.classify(new ConnectException("Connection refused")))
                .extracting(BackendFailure::kind, BackendFailure::status, BackendFailure::retriable)
                .containsExactly(Kind.UNREACHABLE, 502, true);
        assertThat(classifier.classify(new VertxException("wrapped", new UnknownHostException("nowhere"))).kind())
                .isEqualTo(Kind.UNREACHABLE);
    }

    @Test
    void should_answer_504_not_retried_but_the_backends_fault_when_the_backend_times_out() {
        assertThat(classifier.classify(new NoStackTraceTimeoutException("idle")))
                .extracting(BackendFailure::kind, BackendFailure::status, BackendFailure::retriable,
                        BackendFailure::backendFault)
                .containsExactly(Kind.TIMEOUT, 504, false, true);
        assertThat(classifier.classify(new io.netty.channel.ConnectTimeoutException("connect")).kind())
                .isEqualTo(Kind.TIMEOUT);
    }

    @Test
    void should_answer_502_when_the_connection_is_lost() {
        assertThat(classifier.classify(new HttpClosedException("Connection was closed")))
                .extracting(BackendFailure::kind, BackendFailure::status, BackendFailure::retriable)
                .containsExactly(Kind.CONNECTION_LOST, 502, true);
    }

    @Test
    void should_not_retry_when_the_failure_is_unknown() {
        assertThat(classifier.classify(new IllegalStateException("bug")).retriable()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"400,false,false", "401,false,false", "404,false,false", "408,false,false", "429,true,true",
            "500,false,true", "501,false,true", "502,true,true", "503,true,true", "504,true,true"})
    void should_keep_the_upstream_status_when_it_is_an_error(int status, boolean retriable, boolean backendFault) {
        assertThat(classifier.classify(status)).hasValueSatisfying(failure -> {
            assertThat(failure.kind()).isEqualTo(Kind.UPSTREAM_STATUS);
            assertThat(failure.status()).isEqualTo(status);
            assertThat(failure.retriable()).isEqualTo(retriable);
            assertThat(failure.backendFault()).isEqualTo(backendFault);
        });
    }

    @Test
    void should_read_retry_after_in_seconds_milliseconds_or_as_a_date() {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        StandardFailureClassifier fixed = new StandardFailureClassifier(Clock.fixed(now, ZoneOffset.UTC));

        assertThat(fixed.classify(429, HttpHeaders.headers().set("Retry-After", "2")))
                .hasValueSatisfying(f -> assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(2)));
        assertThat(fixed.classify(429, HttpHeaders.headers().set("retry-after-ms", "150").set("Retry-After", "2")))
                .hasValueSatisfying(f -> assertThat(f.retryAfter()).isEqualTo(Duration.ofMillis(150)));
        assertThat(fixed.classify(503, HttpHeaders.headers().set("Retry-After", "Wed, 01 Jan 2025 00:00:07 GMT")))
                .hasValueSatisfying(f -> assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(7)));
        assertThat(fixed.classify(429, HttpHeaders.headers().set("Retry-After", "soon")))
                .hasValueSatisfying(f -> assertThat(f.retryAfter()).isNull());
        assertThat(fixed.classify(500, HttpHeaders.headers().set("Retry-After", "2")))
                .hasValueSatisfying(f -> assertThat(f.retryAfter()).isNull());
    }

    @Test
    void should_call_a_malformed_answer_the_backends_fault_without_retrying_it() {
        assertThat(classifier.classify(new MalformedResponseException("not JSON", null)))
                .extracting(BackendFailure::kind, BackendFailure::status, BackendFailure::retriable,
                        BackendFailure::backendFault)
                .containsExactly(Kind.MALFORMED_RESPONSE, 502, false, true);
    }

    @Test
    void should_see_no_failure_when_the_status_is_a_success() {
        assertThat(classifier.classify(200)).isEmpty();
        assertThat(classifier.classify(302)).isEmpty();
    }
}
