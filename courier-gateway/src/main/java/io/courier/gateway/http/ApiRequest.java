package io.courier.gateway.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.core.auth.Principal;
import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.netty.handler.codec.http.HttpHeaders;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One HTTP request as a route sees it: decoded path parameters and query, the body bytes, the
 * caller's address and, on authenticated routes, the {@link Principal} taken from the token.
 */
public final class ApiRequest {
    private final String method;
    private final String path;
    private final Map<String, String> pathParams;
    private final Map<String, List<String>> query;
    private final HttpHeaders headers;
    private final byte[] body;
    private final String remoteAddress;
    private final ObjectMapper json;
    private Principal principal;

    ApiRequest(String method, String path, Map<String, String> pathParams, Map<String, List<String>> query,
               HttpHeaders headers, byte[] body, String remoteAddress, ObjectMapper json) {
        this.method = method;
        this.path = path;
        this.pathParams = pathParams;
        this.query = query;
        this.headers = headers;
        this.body = body;
        this.remoteAddress = remoteAddress;
        this.json = json;
    }

    public String method() { return method; }

    public String path() { return path; }

    public String remoteAddress() { return remoteAddress; }

    public String header(String name) { return headers.get(name); }

    /** The authenticated caller; only on routes that require a token. */
    public Principal principal() {
        if (principal == null) {
            throw new IllegalStateException("Route " + path + " reads the principal but is not authenticated");
        }
        return principal;
    }

    void authenticate(Principal principal) {
        this.principal = principal;
    }

    /** The token from {@code Authorization: Bearer …}, else from {@code ?token=}, else null. */
    public String bearerToken() {
        String auth = headers.get("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).strip();
        }
        return query("token");
    }

    /** The body parsed as {@code type}; a missing body is an empty object, so required fields report themselves. */
    public <T> T body(Class<T> type) {
        byte[] bytes = body.length == 0 ? "{}".getBytes() : body;
        try {
            T value = json.readValue(bytes, type);
            if (value == null) { // the body was the literal null
                throw CourierException.of(ErrorCode.INVALID_FIELD, "The body must be a JSON object");
            }
            return value;
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof JsonProcessingException parse && !(parse instanceof JsonMappingException)) {
                // the bytes themselves are broken (invalid UTF-8, say), not their shape
                throw CourierException.of(ErrorCode.MALFORMED_JSON, "The body is not valid JSON: " + firstLine(parse));
            }
            String field = fieldOf(e);
            if (field.isEmpty()) {
                throw CourierException.of(ErrorCode.INVALID_FIELD, "The body must be a JSON object");
            }
            throw CourierException.field(ErrorCode.INVALID_FIELD, field, "Field '" + field + "' has the wrong type or format");
        } catch (JsonProcessingException e) {
            throw CourierException.of(ErrorCode.MALFORMED_JSON, "The body is not valid JSON: " + firstLine(e));
        } catch (JacksonException e) {
            throw CourierException.of(ErrorCode.MALFORMED_JSON);
        } catch (IOException e) {
            throw CourierException.of(ErrorCode.MALFORMED_JSON);
        }
    }

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    /** A path parameter that must be a positive id. */
    public long pathId(String name) {
        String raw = pathParams.get(name);
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw CourierException.field(ErrorCode.INVALID_FIELD, name, "'" + name + "' must be a positive integer id");
    }

    public String query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** An integer query parameter in [min, max], or {@code fallback} when absent. */
    public int queryInt(String name, int fallback, int min, int max) {
        String raw = query(name);
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw CourierException.field(ErrorCode.INVALID_FIELD, name, "'" + name + "' must be an integer from " + min + " to " + max);
    }

    /** Throws MISSING_FIELD when {@code value} is null. */
    public static <T> T require(T value, String field) {
        if (value == null) {
            throw CourierException.field(ErrorCode.MISSING_FIELD, field, "Field '" + field + "' is required");
        }
        return value;
    }

    private static String fieldOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String firstLine(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
