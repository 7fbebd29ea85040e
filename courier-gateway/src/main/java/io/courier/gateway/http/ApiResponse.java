package io.courier.gateway.http;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a route answers: either a JSON body (the SimpleIM envelope {@code {code, message, data}}) or
 * raw bytes with their content type, plus extra headers.
 */
public final class ApiResponse {
    private final HttpResponseStatus status;
    private final Object json;
    private final byte[] raw;
    private final String contentType;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private ApiResponse(HttpResponseStatus status, Object json, byte[] raw, String contentType) {
        this.status = status;
        this.json = json;
        this.raw = raw;
        this.contentType = contentType;
    }

    /** 200 with {@code {"code":0,"message":"success","data":data}}. */
    public static ApiResponse ok(Object data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", 0);
        body.put("message", "success");
        if (data != null) {
            body.put("data", data);
        }
        return new ApiResponse(HttpResponseStatus.OK, body, null, null);
    }

    /**
     * Like {@link #ok} but with the data's fields also at the top level: SimpleIM's web app reads
     * {@code token} and {@code user_id} there, other clients read them under {@code data}.
     */
    public static ApiResponse okFlat(Map<String, Object> data) {
        Map<String, Object> body = new LinkedHashMap<>(data);
        body.put("code", 0);
        body.put("message", "success");
        body.put("data", data);
        return new ApiResponse(HttpResponseStatus.OK, body, null, null);
    }

    /** A JSON body exactly as given, without the envelope (health checks have their own shape). */
    public static ApiResponse plain(HttpResponseStatus status, Object body) {
        return new ApiResponse(status, body, null, null);
    }

    public static ApiResponse raw(String contentType, byte[] bytes) {
        return new ApiResponse(HttpResponseStatus.OK, null, bytes, contentType);
    }

    public ApiResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public HttpResponseStatus status() { return status; }

    public Object json() { return json; }

    public byte[] raw() { return raw; }

    public String contentType() { return contentType; }

    public Map<String, String> headers() { return headers; }
}
