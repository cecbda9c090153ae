package dev.etr.gateway;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamingTest {

    private static final String EVENT_1 = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":"
            + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n";
    private static final String EVENT_2 = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":"
            + "[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\n";
    private static final String DONE = "data: [DONE]\n\n";

    private static TestUpstream live;
    private static GatewayFixture etr;

    @BeforeAll
    static void start() {
        live = new TestUpstream();
        etr = GatewayFixture.builder().expert("live", live.baseUrl(), Duration.ofSeconds(30)).start();
    }

    @AfterAll
    static void stop() {
        etr.close();
        live.close();
    }

    @BeforeEach
    void reset() {
        etr.upstream.resetAll();
    }

    private static String streamedChat(String model) {
        return "{\"model\":\"" + model + "\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"say hello\"}]}";
    }

    @Test
    void should_forward_the_event_stream_unchanged_when_stream_is_true() {
        etr.upstream.stubFor(post("/math/v1/chat/completions").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withHeader("Cache-Control", "no-cache")
                .withBody(EVENT_1 + EVENT_2 + DONE).withChunkedDribbleDelay(3, 60)));

        HttpResponse<String> response = etr.post("/v1/chat/completions", streamedChat("auto").replace("hello", "math"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(EVENT_1 + EVENT_2 + DONE);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
        assertThat(response.headers().firstValue("cache-control")).hasValue("no-cache");
        assertThat(response.headers().firstValue("x-etr-expert")).hasValue("math");
        assertThat(response.headers().firstValue("x-etr-served-by")).hasValue("math");
        etr.upstream.verify(postRequestedFor(urlEqualTo("/math/v1/chat/completions"))
                .withHeader("Accept", equalTo("text/event-stream"))
                .withRequestBody(matchingJsonPath("$.stream_options.include_usage", equalTo("true"))));
    }

    @Test
    void should_deliver_each_chunk_before_the_upstream_has_finished() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        live.handle(request -> {
            Context context = Vertx.currentContext();
            HttpServerResponse response = request.response().setChunked(true)
                    .putHeader("Content-Type", "text/event-stream");
            response.write(EVENT_1);
            // The rest is written only once the test has seen the first chunk at the client.
            release.thenRun(() -> context.runOnContext(v -> response.end(EVENT_2 + DONE)));
        });

        HttpResponse<Stream<String>> response = etr.client.send(HttpRequest.newBuilder(URI.create(etr.url("/v1/chat/completions")))
                .POST(HttpRequest.BodyPublishers.ofString(streamedChat("live"))).build(), HttpResponse.BodyHandlers.ofLines());
        Iterator<String> lines = response.body().iterator();
        String first = lines.next();
        release.complete(null);
        List<String> rest = new ArrayList<>();
        lines.forEachRemaining(rest::add);

        assertThat(first).isEqualTo(EVENT_1.strip());
        assertThat(String.join("\n", rest) + "\n").isEqualTo("\n" + EVENT_2 + DONE);
    }

    @Test
    void should_hold_the_upstream_back_when_the_client_reads_slowly() throws Exception {
        long total = 64L * 1024 * 1024;
        AtomicLong written = new AtomicLong();
        CompletableFuture<Void> finished = new CompletableFuture<>();
        live.handle(request -> {
            HttpServerResponse response = request.response().putHeader("Content-Length", String.valueOf(total));
            Buffer block = Buffer.buffer(new byte[64 * 1024]);
            new Runnable() {
                @Override
                public void run() {  // as fast as the gateway lets us: write until its TCP window pushes back
                    while (written.get() < total && !response.writeQueueFull()) {
                        response.write(block);
                        written.addAndGet(block.length());
                    }
                    if (written.get() < total) {
                        response.drainHandler(v -> run());
                    } else {
                        response.end().onComplete(v -> finished.complete(null));
                    }
                }
            }.run();
        });

        try (Socket client = new Socket()) {
            client.setReceiveBufferSize(64 * 1024);
            client.connect(new InetSocketAddress("127.0.0.1", etr.gateway.port()));
            send(client, "{\"model\":\"live\",\"messages\":[{\"role\":\"user\",\"content\":\"bulk\"}]}");

            // The client reads nothing: without back-pressure the gateway would buffer all 64 MiB and the upstream finish.
            assertThatThrownBy(() -> finished.get(500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            long stalledAt = written.get();
            long received = readBody(client.getInputStream());

            assertThat(stalledAt).isLessThan(total / 2);
            assertThat(received).isEqualTo(total);
            finished.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void should_end_the_upstream_call_when_the_client_disconnects_mid_stream() throws Exception {
        CompletableFuture<Void> upstreamClosed = new CompletableFuture<>();
        CompletableFuture<Void> firstChunkSent = new CompletableFuture<>();
        live.handle(request -> {
            request.connection().closeHandler(v -> upstreamClosed.complete(null));
            request.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
                    .write(EVENT_1).onSuccess(v -> firstChunkSent.complete(null));
            // ...and then nothing: a long answer still being generated
        });

        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", etr.gateway.port()));
            send(client, streamedChat("live"));
            readUntil(client.getInputStream(), "data: ");
            assertThat(etr.metric("etr_streams_inflight")).isEqualTo(1.0);
        }

        upstreamClosed.get(5, TimeUnit.SECONDS);
        assertThat(firstChunkSent).isDone();
        assertThat(etr.metric("etr_streams_inflight")).isEqualTo(0.0);
    }

    @Test
    void should_end_the_upstream_call_when_the_client_disconnects_before_the_answer_starts() throws Exception {
        CompletableFuture<Void> upstreamClosed = new CompletableFuture<>();
        CompletableFuture<Void> received = new CompletableFuture<>();
        live.handle(request -> {
            request.connection().closeHandler(v -> upstreamClosed.complete(null));
            received.complete(null);  // ...and no answer yet: a model still computing a long non-streamed reply
        });

        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", etr.gateway.port()));
            send(client, "{\"model\":\"live\",\"messages\":[{\"role\":\"user\",\"content\":\"write a novel\"}]}");
            received.get(5, TimeUnit.SECONDS);
        }

        upstreamClosed.get(5, TimeUnit.SECONDS);
    }

    @Test
    void should_end_with_an_error_event_when_the_upstream_breaks_mid_stream() {
        live.handle(request -> request.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
                .write(EVENT_1).onSuccess(v -> request.connection().close()));

        HttpResponse<String> response = etr.post("/v1/chat/completions", streamedChat("live"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith(EVENT_1).doesNotContain("[DONE]");
        String last = response.body().substring(EVENT_1.length());
        assertThat(last).startsWith("data: ").endsWith("\n\n");
        JsonObject error = new JsonObject(last.substring("data: ".length()).strip()).getJsonObject("error");
        assertThat(error.getString("type")).isEqualTo("server_error");
        assertThat(error.getString("code")).isEqualTo("backend_connection_lost");
        assertThat(error.getString("message")).isEqualTo("the expert backend closed the connection.");
        assertThat(etr.metric("etr_backend_errors_total{expert=\"live\",kind=\"connection_lost\",status=\"502\"}"))
                .isEqualTo(1.0);
    }

    private void send(Socket client, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = client.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    /** Reads up to and including the first occurrence of {@code marker}; returns what was read. */
    private static String readUntil(InputStream in, String marker) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        while (!seen.toString(StandardCharsets.ISO_8859_1).contains(marker)) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before '" + marker + "'; got: " + seen);
            }
            seen.write(b);
        }
        return seen.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads a response with a Content-Length body; returns the number of body bytes. */
    private static long readBody(InputStream in) throws IOException {
        String head = readUntil(in, "\r\n\r\n");
        assertThat(head).startsWith("HTTP/1.1 200");
        long length = head.lines().filter(line -> line.toLowerCase().startsWith("content-length:"))
                .map(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).trim())).findFirst().orElseThrow();
        byte[] buffer = new byte[256 * 1024];
        long read = 0;
        while (read < length) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            read += n;
        }
        return read;
    }
}
