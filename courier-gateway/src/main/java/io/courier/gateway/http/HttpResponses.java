package io.courier.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpVersion;

import java.util.Map;

/** Turns an {@link ApiResponse} into Netty's full HTTP response. */
public final class HttpResponses {
    private HttpResponses() {
    }

    public static FullHttpResponse toHttp(ObjectMapper json, ApiResponse response) {
        byte[] bytes;
        String contentType;
        if (response.raw() != null) {
            bytes = response.raw();
            contentType = response.contentType();
        } else {
            try {
                bytes = json.writeValueAsBytes(response.json());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("A response could not be serialized", e);
            }
            contentType = "application/json; charset=utf-8";
        }
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(), Unpooled.wrappedBuffer(bytes));
        http.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        http.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        http.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        for (Map.Entry<String, String> h : response.headers().entrySet()) {
            http.headers().set(h.getKey(), h.getValue());
        }
        return http;
    }
}
