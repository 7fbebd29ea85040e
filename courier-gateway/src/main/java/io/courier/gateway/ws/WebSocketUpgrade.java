package io.courier.gateway.ws;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.core.auth.Principal;
import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.gateway.http.ErrorResponses;
import io.courier.gateway.http.HttpResponses;
import io.courier.gateway.realtime.Flushes;
import io.courier.gateway.realtime.RealtimeHandler;
import io.courier.gateway.realtime.RealtimeSettings;
import io.courier.protocol.v1.Delivery;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Sits in the HTTP pipeline before the API. A request for {@code /ws} is authenticated first (the
 * token from {@code ?token=} or the Authorization header): a bad token gets 401 before any upgrade.
 * A good one turns the connection into a WebSocket: the HTTP handlers make way for the WebSocket
 * protocol handler and {@link WebSocketSession}. Every other request passes through untouched.
 */
@ChannelHandler.Sharable
public final class WebSocketUpgrade extends SimpleChannelInboundHandler<FullHttpRequest> {
    public static final String PATH = "/ws";

    private final RealtimeHandler handler;
    private final JsonFrames json;
    private final Executor executor;
    private final ObjectMapper mapper;

    public WebSocketUpgrade(RealtimeHandler handler, JsonFrames json, Executor executor, ObjectMapper mapper) {
        super(false);
        this.handler = handler;
        this.json = json;
        this.executor = executor;
        this.mapper = mapper;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder uri;
        String path;
        try {
            uri = new QueryStringDecoder(request.uri());
            path = uri.path();
        } catch (IllegalArgumentException e) {
            ctx.fireChannelRead(request); // the API answers a broken URI
            return;
        }
        if (!PATH.equals(path)) {
            ctx.fireChannelRead(request);
            return;
        }
        String token = first(uri.parameters().get("token"));
        String auth = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (token == null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = auth.substring(7).strip();
        }
        String deviceId = first(uri.parameters().get("device_id"));
        boolean binary = "protobuf".equals(first(uri.parameters().get("format")));
        Delivery delivery;
        try {
            delivery = delivery(first(uri.parameters().get("delivery")));
        } catch (CourierException e) {
            refuse(ctx, request, e);
            return;
        }
        String presented = token;
        executor.execute(() -> {
            Principal principal;
            try {
                principal = handler.authenticate(presented, deviceId);
            } catch (RuntimeException e) {
                ctx.executor().execute(() -> refuse(ctx, request, e));
                return;
            }
            ctx.executor().execute(() -> upgrade(ctx, request, principal, binary, delivery));
        });
    }

    /** {@code ?delivery=acked} asks for at-least-once delivery; absent or {@code written}, delivered-when-written. */
    private static Delivery delivery(String asked) {
        if (asked == null || asked.isEmpty() || asked.equalsIgnoreCase("written")) {
            return Delivery.WRITTEN;
        }
        if (asked.equalsIgnoreCase("acked")) {
            return Delivery.ACKED;
        }
        throw CourierException.field(ErrorCode.INVALID_FIELD, "delivery", "'delivery' must be written or acked");
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, Principal principal, boolean binary, Delivery delivery) {
        if (!"websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE))) {
            // A plain request: answer it here rather than tear the HTTP pipeline down for nothing.
            refuse(ctx, request, CourierException.of(ErrorCode.BAD_REQUEST, PATH + " is a WebSocket endpoint: send an Upgrade request"));
            return;
        }
        RealtimeSettings s = handler.settings();
        ChannelPipeline p = ctx.pipeline();
        p.remove("idle");
        p.remove("idle-close");
        p.remove("api");
        p.addAfter(ctx.name(), "ws-protocol", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(PATH)
                .checkStartsWith(true)
                .maxFramePayloadLength(s.maxFrameBytes())
                // Invalid UTF-8 in a text frame is answered with an error frame, not by closing (see docs/protocol.md).
                .withUTF8Validator(false)
                .dropPongFrames(true)
                .build()));
        p.addAfter("ws-protocol", "ws-aggregator", new WebSocketFrameAggregator(s.maxFrameBytes()));
        p.addAfter("ws-aggregator", "ws-session", new WebSocketSession(handler, json, executor, principal, binary, delivery));
        p.remove(this);
        p.fireChannelRead(request);
        // Added only now: an idle handler that saw the upgrade request read (without its
        // read-complete) would believe a read is still going on and never time out.
        p.addFirst("idle", new IdleStateHandler(s.idleTimeout().toMillis(), s.heartbeatInterval().toMillis(), 0, TimeUnit.MILLISECONDS));
        p.addFirst("flush-consolidation", Flushes.consolidated());
    }

    private void refuse(ChannelHandlerContext ctx, FullHttpRequest request, RuntimeException failure) {
        request.release();
        CourierException e = failure instanceof CourierException c ? c : CourierException.of(ErrorCode.UNAVAILABLE);
        FullHttpResponse response = HttpResponses.toHttp(mapper, ErrorResponses.of(e));
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.getFirst();
    }
}
