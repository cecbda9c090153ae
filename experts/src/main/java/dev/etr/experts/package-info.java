/**
 * Expert backends: where a chat completion is actually answered.
 *
 * <p>API, top to bottom:
 * <ul>
 *   <li>{@link dev.etr.experts.ExpertRegistry}: the experts and the generalist built from the configuration;</li>
 *   <li>{@link dev.etr.experts.Expert}: a name, an optional system prompt and an {@link dev.etr.experts.ExpertBackend};</li>
 *   <li>{@link dev.etr.experts.ExpertDispatcher}: sends one request to an ordered list of candidate experts;</li>
 *   <li>{@link dev.etr.experts.BackendReply}: the upstream status, headers and a paused body stream;</li>
 *   <li>{@link dev.etr.experts.FailureClassifier} / {@link dev.etr.experts.BackendFailure}: every upstream failure
 *       is sorted once, here, into retriable or not and the HTTP status etr answers with;</li>
 *   <li>{@link dev.etr.experts.ChatRequest}: the tolerant view of an OpenAI chat-completions body.</li>
 * </ul>
 * Implementations are package-private.
 */
package dev.etr.experts;
