package dev.etr.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;
import java.util.regex.Pattern;

/** What every handler reads from or stamps on a request: its id, its expert, its body. */
final class Requests {

    static final String REQUEST_ID_HEADER = "x-request-id";
    static final String EXPERT_HEADER = "x-etr-expert";
    static final String CONFIDENCE_HEADER = "x-etr-confidence";
    static final String SERVED_BY_HEADER = "x-etr-served-by";
    /** Why the routed expert did not answer, when another one did (or none could). */
    static final String FALLBACK_HEADER = "x-etr-fallback";
    /** Version of the registry snapshot (routing head and backends) a request was decided with. */
    static final String SNAPSHOT_HEADER = "x-etr-snapshot";

    private static final String ID_KEY = "etr.requestId";
    private static final String EXPERT_KEY = "etr.expert";

    /** Client ids are echoed only when harmless in a header and a log line. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:/+=-]{1,128}");

    private Requests() {
    }

    /** Echoes the client's {@code x-request-id}, or makes one, and stamps it on the answer. */
    static void assignId(RoutingContext ctx) {
        String id = ctx.request().getHeader(REQUEST_ID_HEADER);
        if (id == null || !SAFE_ID.matcher(id).matches()) {
            id = UUID.randomUUID().toString();
        }
        ctx.put(ID_KEY, id);
        ctx.response().putHeader(REQUEST_ID_HEADER, id);
    }

    static String id(RoutingContext ctx) {
        return ctx.get(ID_KEY);
    }

    static void tagExpert(RoutingContext ctx, String expert) {
        ctx.put(EXPERT_KEY, expert);
    }

    static String expert(RoutingContext ctx) {
        return ctx.get(EXPERT_KEY, GatewayMetrics.NO_EXPERT);
    }

    /** The request body; empty when there was none. */
    static Buffer body(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        return body == null ? Buffer.buffer() : body;
    }
}
