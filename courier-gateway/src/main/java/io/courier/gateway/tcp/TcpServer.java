package io.courier.gateway.tcp;

import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.gateway.net.LoginDeadline;
import io.courier.gateway.net.Tls;
import io.courier.gateway.net.Transport;
import io.courier.gateway.realtime.Flushes;
import io.courier.gateway.realtime.RealtimeHandler;
import io.courier.gateway.realtime.RealtimeSettings;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.IdleStateHandler;

import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The native protocol listener: frames of a 4-byte big-endian length and one protobuf Envelope.
 * Handlers in the order data flows: idle detection, frame decoding, frame encoding, then the session.
 */
public final class TcpServer implements AutoCloseable {
    private Tls tls;
    private final String bind;
    private final int port;
    private final Transport transport;
    private final RealtimeHandler handler;
    private final Executor executor;
    private final ChannelGroup connections;
    private Channel serverChannel;

    public TcpServer(String bind, int port, Transport transport, RealtimeHandler handler, Executor executor,
                     ChannelGroup connections) {
        this.bind = bind;
        this.port = port;
        this.transport = transport;
        this.handler = handler;
        this.executor = executor;
        this.connections = connections;
    }

    /** TLS on this listener (null: plain). Call before {@link #start}. */
    public TcpServer tls(Tls tls) {
        this.tls = tls;
        return this;
    }

    public TcpServer start() {
        RealtimeSettings s = handler.settings();
        FramedEnvelopeEncoder envelopeEncoder = new FramedEnvelopeEncoder();
        LoginDeadline.Policy logins = new LoginDeadline.Policy(s.loginTimeout(), s.maxUnauthenticatedPerAddress(),
                RealtimeHandler.error(0, CourierException.of(ErrorCode.NOT_LOGGED_IN,
                        "No login within " + s.loginTimeout().toSeconds() + " s of connecting; closing")),
                RealtimeHandler.error(0, CourierException.of(ErrorCode.RATE_LIMITED,
                        "Too many connections from this address that have not logged in; closing")));
        serverChannel = new ServerBootstrap()
                .group(transport.boss(), transport.workers())
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(s.maxOutboundBytes() / 2, s.maxOutboundBytes()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls.handler(ch)); // first: everything after it reads plain text
                        }
                        ch.pipeline()
                                .addLast("login-deadline", new LoginDeadline(logins))
                                .addLast("flush-consolidation", Flushes.consolidated())
                                .addLast("idle", new IdleStateHandler(s.idleTimeout().toMillis(), s.heartbeatInterval().toMillis(), 0,
                                        TimeUnit.MILLISECONDS))
                                .addLast("frame-decoder", new LengthFieldBasedFrameDecoder(s.maxFrameBytes(), 0, 4, 0, 4))
                                .addLast("envelope-encoder", envelopeEncoder)
                                .addLast("session", new TcpSessionHandler(handler, executor));
                    }
                })
                .bind(bind, port).syncUninterruptibly().channel();
        return this;
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
    }
}
