package io.courier.gateway.ws;

import io.courier.core.auth.Principal;
import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.gateway.realtime.DeviceChannel;
import io.courier.gateway.realtime.EnvelopeFrames;
import io.courier.gateway.realtime.RealtimeHandler;
import io.courier.protocol.v1.Delivery;
import io.courier.protocol.v1.Envelope;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;

/**
 * One WebSocket device. Text frames carry the JSON mapping ({@link JsonFrames}), binary frames the
 * protobuf Envelope of the native protocol. The server answers in JSON until the device sends its
 * first binary frame (or from the start with {@code ?format=protobuf}), and in binary from then on.
 */
final class WebSocketSession extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger log = LoggerFactory.getLogger(WebSocketSession.class);

    private final RealtimeHandler handler;
    private final JsonFrames json;
    private final Executor executor;
    private final Principal principal;
    private final Delivery delivery;
    private volatile boolean binary;
    private DeviceChannel device;

    WebSocketSession(RealtimeHandler handler, JsonFrames json, Executor executor, Principal principal, boolean binary,
                     Delivery delivery) {
        this.delivery = delivery;
        this.handler = handler;
        this.json = json;
        this.executor = executor;
        this.principal = principal;
        this.binary = binary;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        device = new DeviceChannel(ctx.channel(), this::encode, executor);
    }

    private Object encode(Envelope envelope) {
        return binary ? new BinaryWebSocketFrame(Unpooled.wrappedBuffer(envelope.toByteArray()))
                : new TextWebSocketFrame(json.encode(envelope));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            device.enqueue(() -> handler.loggedIn(device, principal, 0, delivery));
        } else if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                device.kick("idle");
            } else if (idle.state() == IdleState.WRITER_IDLE) {
                ctx.writeAndFlush(new PingWebSocketFrame());
            }
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        Envelope request;
        if (frame instanceof TextWebSocketFrame text) {
            String body = null;
            try {
                body = utf8(text);
                request = json.decode(body);
            } catch (CourierException e) {
                device.reply(RealtimeHandler.error(body == null ? 0 : json.requestIdOf(body), e));
                return;
            }
        } else if (frame instanceof BinaryWebSocketFrame bin) {
            binary = true;
            try {
                request = EnvelopeFrames.parse(bin.content());
            } catch (CourierException e) {
                device.reply(RealtimeHandler.error(0, e));
                return;
            }
        } else {
            return; // fragments are joined by the aggregator before this handler; pings are answered by Netty
        }
        device.enqueue(() -> handler.handle(device, request));
    }

    /** Strict UTF-8: invalid bytes are the client's mistake, answered with an error frame. */
    private static String utf8(TextWebSocketFrame text) {
        ByteBuffer bytes = text.content().nioBuffer();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw CourierException.of(ErrorCode.MALFORMED_JSON, "The text frame is not valid UTF-8");
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        device.writabilityChanged();
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        handler.closed(device);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException) {
            log.debug("WebSocket {} sent a broken frame: {}", ctx.channel().remoteAddress(), cause.getMessage());
        } else {
            log.debug("WebSocket {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }
}
