package dev.etr.experts;

import dev.etr.experts.BackendFailure.Kind;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.ConnectException;
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
    void should_answer_504_retriable_when_the_backend_times_out() {
        assertThat(classifier.classify(new NoStackTraceTimeoutException("idle")))
                .extracting(BackendFailure::kind, BackendFailure::status, BackendFailure::retriable)
                .containsExactly(Kind.TIMEOUT, 504, true);
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
    @CsvSource({"400,false", "401,false", "404,false", "429,true", "500,false", "502,true", "503,true", "504,true"})
    void should_keep_the_upstream_status_when_it_is_an_error(int status, boolean retriable) {
        assertThat(classifier.classify(status)).hasValueSatisfying(failure -> {
            assertThat(failure.kind()).isEqualTo(Kind.UPSTREAM_STATUS);
            assertThat(failure.status()).isEqualTo(status);
            assertThat(failure.retriable()).isEqualTo(retriable);
        });
    }

    @Test
    void should_see_no_failure_when_the_status_is_a_success() {
        assertThat(classifier.classify(200)).isEmpty();
        assertThat(classifier.classify(302)).isEmpty();
    }
}
