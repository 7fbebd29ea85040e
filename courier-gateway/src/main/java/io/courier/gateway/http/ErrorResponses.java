package io.courier.gateway.http;

import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.LinkedHashMap;
import java.util.Map;

/** Renders a {@link CourierException} as the HTTP status and JSON error body every route shares. */
public final class ErrorResponses {
    private ErrorResponses() {
    }

    public static ApiResponse of(CourierException e) {
        ErrorCode code = e.code();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code.code());
        body.put("name", code.name());
        body.put("message", e.getMessage());
        body.put("error", e.getMessage()); // SimpleIM clients read "error"
        if (e.field() != null) {
            body.put("field", e.field());
        }
        if (e.retryAfterMillis() > 0) {
            body.put("retry_after_ms", e.retryAfterMillis()); // finer than the header's whole seconds
        }
        ApiResponse response = ApiResponse.plain(status(code), body);
        if (e.retryAfterSeconds() > 0) {
            response.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        return response;
    }

    public static HttpResponseStatus status(ErrorCode code) {
        return switch (code.kind()) {
            case INVALID -> HttpResponseStatus.BAD_REQUEST;
            case UNAUTHORIZED -> HttpResponseStatus.UNAUTHORIZED;
            case FORBIDDEN -> HttpResponseStatus.FORBIDDEN;
            case NOT_FOUND -> HttpResponseStatus.NOT_FOUND;
            case METHOD -> HttpResponseStatus.METHOD_NOT_ALLOWED;
            case CONFLICT -> HttpResponseStatus.CONFLICT;
            case TOO_LARGE -> HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
            case TOO_MANY -> HttpResponseStatus.TOO_MANY_REQUESTS;
            case UNAVAILABLE -> HttpResponseStatus.SERVICE_UNAVAILABLE;
            case INTERNAL -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
        };
    }
}
