package dev.etr.gateway;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * A tiny Vert.x upstream for what WireMock cannot show: when each chunk is written, back-pressure, and whether the
 * gateway closed the connection. Tests swap its handler.
 */
final class TestUpstream implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private volatile Handler<HttpServerRequest> handler = request -> request.response().setStatusCode(500).end();

    TestUpstream() {
        server = GatewayFixture.await(vertx.createHttpServer()
                .requestHandler(request -> handler.handle(request))
                .listen(0, "127.0.0.1"));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/v1";
    }

    void handle(Handler<HttpServerRequest> handler) {
        this.handler = handler;
    }

    @Override
    public void close() {
        GatewayFixture.await(vertx.close());
    }
}
