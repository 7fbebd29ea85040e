package io.courier.gateway.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A request's headers must be complete within a deadline from their first byte: headers that
 * trickle in (a byte a second kept a connection for 300 s, each byte resetting the idle timeout)
 * get 408 and the connection is closed. An idle keep-alive connection is the idle timeout's
 * business, not this one's. Two handlers share the state: this one before the HTTP codec sees the
 * first raw bytes of a request and arms the deadline; {@link #headersSeen()} after the codec sees the
 * decoded request (its headers complete) and disarms it. A WebSocket upgrade takes both out.
 */
final class HeaderDeadline extends ChannelDuplexHandler {
    private final Duration timeout;
    private ScheduledFuture<?> timer;
    private boolean awaitingHeaders = true;

    HeaderDeadline(Duration timeout) {
        this.timeout = timeout;
    }

    /** The handler that goes right after the codec. */
    ChannelInboundHandlerAdapter headersSeen() {
        HeaderDeadline deadline = this;
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (msg instanceof HttpRequest request) {
                    deadline.disarm();
                    deadline.awaitingHeaders = false;
                    if (request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
                        ctx.pipeline().remove(deadline); // a WebSocket has its own idle and login rules
                        ctx.pipeline().remove(this);
                    }
                }
                super.channelRead(ctx, msg);
            }
        };
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (awaitingHeaders && timer == null && msg instanceof ByteBuf bytes && bytes.isReadable()) {
            timer = ctx.executor().schedule(() -> timedOut(ctx), timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof ByteBuf || msg instanceof io.netty.buffer.ByteBufHolder) {
            // Bytes of a response go out: the next bytes read begin a new request.
            awaitingHeaders = true;
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        disarm();
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void timedOut(ChannelHandlerContext ctx) {
        timer = null;
        if (!awaitingHeaders || !ctx.channel().isActive()) {
            return;
        }
        String body = "{\"code\":1000,\"name\":\"BAD_REQUEST\",\"message\":\"The request headers did not arrive within "
                + timeout.toSeconds() + " s\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: "
                + bytes.length + "\r\nConnection: close\r\n\r\n";
        // Raw bytes, written from before the codec: the codec is in the middle of a request.
        ctx.writeAndFlush(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), bytes))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
