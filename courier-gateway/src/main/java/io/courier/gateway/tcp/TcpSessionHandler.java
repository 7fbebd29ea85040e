package io.courier.gateway.tcp;

import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.gateway.realtime.DeviceChannel;
import io.courier.gateway.realtime.EnvelopeFrames;
import io.courier.gateway.realtime.RealtimeHandler;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.Heartbeat;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;

/**
 * One native connection: parses each frame into an Envelope (a frame that is not one gets an error
 * frame and the connection lives on, since the framing is intact), logs the device in with its
 * first frame, and queues every request on the device. Broken framing (an oversized or negative
 * length) cannot be recovered from: the connection gets an error frame and is closed.
 */
final class TcpSessionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(TcpSessionHandler.class);

    private final RealtimeHandler handler;
    private final Executor executor;
    private DeviceChannel device;

    TcpSessionHandler(RealtimeHandler handler, Executor executor) {
        this.handler = handler;
        this.executor = executor;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        device = new DeviceChannel(ctx.channel(), envelope -> envelope, executor);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        Envelope request;
        try {
            request = EnvelopeFrames.parse(frame);
        } catch (CourierException e) {
            device.reply(RealtimeHandler.error(0, e));
            return;
        } finally {
            frame.release();
        }
        if (request.hasLogin() && device.principal() == null) {
            long id = request.getRequestId();
            device.enqueue(() -> {
                if (device.principal() != null) {
                    device.reply(RealtimeHandler.error(id, CourierException.of(ErrorCode.ALREADY_LOGGED_IN)));
                    return;
                }
                try {
                    handler.loggedIn(device, handler.authenticate(request.getLogin().getToken(), request.getLogin().getDeviceId()), id,
                            request.getLogin().getDelivery());
                } catch (RuntimeException e) {
                    device.reply(RealtimeHandler.error(id, e));
                }
            });
            return;
        }
        device.enqueue(() -> handler.handle(device, request));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                device.kick("idle");
            } else if (idle.state() == IdleState.WRITER_IDLE) {
                device.reply(Envelope.newBuilder().setHeartbeat(Heartbeat.newBuilder().setServerTs(System.currentTimeMillis())).build());
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
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
        if (cause instanceof TooLongFrameException) {
            ctx.writeAndFlush(RealtimeHandler.error(0, CourierException.of(ErrorCode.FRAME_TOO_LARGE,
                    "The frame is larger than " + handler.settings().maxFrameBytes() + " bytes"))).addListener(ChannelFutureListener.CLOSE);
        } else if (cause instanceof DecoderException) {
            ctx.writeAndFlush(RealtimeHandler.error(0, CourierException.of(ErrorCode.BAD_REQUEST, "The framing is broken")))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            log.debug("Native connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
