/**
 * The HTTP gateway: an OpenAI-compatible endpoint that routes each chat to an expert.
 *
 * <p>API: {@link dev.etr.gateway.Gateway} (start, readiness, stop) and {@link dev.etr.gateway.RoutingJson} (the
 * decision as the API and the command line print it). Everything else is package-private.
 */
package dev.etr.gateway;
