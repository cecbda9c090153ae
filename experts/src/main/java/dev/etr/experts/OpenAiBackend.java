package dev.etr.experts;

import dev.etr.config.BackendConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.ReadStream;

import java.net.URI;

/** {@code type: openai}: any server speaking OpenAI's {@code POST {baseUrl}/chat/completions}. */
final class OpenAiBackend implements ExpertBackend {

    private final HttpClient http;
    private final String endpoint;
    private final String model;
    private final long timeoutMillis;
    private final MultiMap headers;
    private final BackendConfig config;

    OpenAiBackend(HttpClient http, BackendConfig config) {
        this.http = http;
        this.config = config;
        this.endpoint = stripTrailingSlash(config.baseUrl()) + "/chat/completions";
        this.model = config.model();
        this.timeoutMillis = config.timeout().toMillis();
        this.headers = HttpHeaders.headers().addAll(config.headers())
                .set(HttpHeaders.CONTENT_TYPE, "application/json");
        if (config.apiKey() != null && !config.apiKey().isBlank()) {
            headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + config.apiKey());
        }
    }

    @Override
    public Future<BackendReply> send(ChatRequest request, CallContext context) {
        Buffer body = (model == null ? request : request.withModel(model)).toBuffer();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(endpoint)
                // a fresh map per call: RequestOptions writes into the map it is given
                .setHeaders(HttpHeaders.headers().addAll(headers))
                .putHeader(HttpHeaders.ACCEPT, request.stream() ? "text/event-stream" : "application/json")
                .putHeader("x-request-id", context.requestId())
                .setConnectTimeout(timeoutMillis)
                // idle, not total: a long answer that keeps streaming is fine, a silent upstream is not
                .setIdleTimeout(timeoutMillis);
        return http.request(options).compose(call -> {
            context.abandoned().onComplete(gone -> call.reset());
            return call.send(body);
        }).map(response -> {
            // Listeners run synchronously on the event loop, so pausing here loses no chunk.
            response.pause();
            // Until a consumer attaches its own handler, errors (e.g. the reset of an abandoned reply) are moot.
            response.exceptionHandler(ignored -> { });
            return new HttpReply(response.request(), response);
        });
    }

    @Override
    public BackendConfig config() {
        return config;
    }

    @Override
    public String describe() {
        return "openai " + withoutUserInfo(endpoint) + " model=" + model;
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String withoutUserInfo(String url) {
        URI uri = URI.create(url);
        return uri.getUserInfo() == null ? url : url.replace(uri.getRawUserInfo() + "@", "");
    }

    private record HttpReply(HttpClientRequest call, HttpClientResponse response) implements BackendReply {

        @Override
        public int status() {
            return response.statusCode();
        }

        @Override
        public MultiMap headers() {
            return response.headers();
        }

        @Override
        public ReadStream<Buffer> body() {
            return response;
        }

        @Override
        public void cancel() {
            call.reset();
        }
    }
}
