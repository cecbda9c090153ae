package dev.etr.gateway;

import dev.etr.experts.BackendException;
import dev.etr.experts.BackendFailure;
import dev.etr.experts.InvalidRequestException;
import io.vertx.core.json.JsonObject;

/** An error answer in OpenAI's shape: {@code {"error":{"message","type","param","code"}}} with its status. */
final class ApiError extends RuntimeException {

    private static final String INVALID = "invalid_request_error";
    private static final String SERVER = "server_error";

    final int status;
    final String type;
    final String param;
    final String code;

    private ApiError(int status, String type, String message, String param, String code) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    static ApiError invalid(String message, String param) {
        return new ApiError(400, INVALID, message, param, null);
    }

    static ApiError malformedJson() {
        return new ApiError(400, INVALID, "We could not parse the JSON body of your request. Send valid JSON.",
                null, null);
    }

    static ApiError modelNotFound(String model) {
        return new ApiError(404, INVALID, "The model '" + model + "' does not exist. GET /v1/models lists the "
                + "models: 'auto', every expert and 'generalist'.", "model", "model_not_found");
    }

    static ApiError unauthorized() {
        return new ApiError(401, INVALID, "Incorrect or missing API key. Send it as 'Authorization: Bearer <key>'.",
                null, "invalid_api_key");
    }

    static ApiError tooLarge(long limit) {
        return new ApiError(413, INVALID, "The request body is larger than the limit of " + limit + " bytes "
                + "(server.maxBodyBytes).", null, "request_too_large");
    }

    static ApiError notFound(String path) {
        return new ApiError(404, INVALID, "Unknown path: " + path + ".", null, "unknown_url");
    }

    static ApiError methodNotAllowed(String method, String path) {
        return new ApiError(405, INVALID, method + " is not allowed on " + path + ".", null, "method_not_allowed");
    }

    static ApiError notReady() {
        return new ApiError(503, SERVER, "The router is still loading; retry shortly (GET /health/ready says when).",
                null, "router_not_ready");
    }

    static ApiError backend(BackendFailure failure) {
        return new ApiError(failure.status(), SERVER, failure.message() + ".", null, failure.kind().code());
    }

    /** An answer of the admin API: {@code invalid_request_error} unless the status is 5xx. */
    static ApiError admin(int status, String message, String param, String code) {
        return new ApiError(status, status >= 500 ? SERVER : INVALID, message, param, code);
    }

    static ApiError internal() {
        return new ApiError(500, SERVER, "etr failed to handle the request; its log has the details (x-request-id).",
                null, "internal_error");
    }

    /** Any failure of a request, as the client sees it; null when it is not one of ours (a bug: log it). */
    static ApiError of(Throwable failure) {
        if (failure instanceof ApiError error) {
            return error;
        }
        if (failure instanceof InvalidRequestException invalid) {
            return invalid(invalid.getMessage(), invalid.param());
        }
        if (failure instanceof BackendException backend) {
            return backend(backend.failure());
        }
        return null;
    }

    JsonObject toJson() {
        return new JsonObject().put("error", new JsonObject()
                .put("message", getMessage()).put("type", type).put("param", param).put("code", code));
    }
}
