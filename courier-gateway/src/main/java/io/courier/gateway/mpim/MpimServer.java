package io.courier.gateway.mpim;

import io.courier.gateway.net.LoginDeadline;
import io.courier.gateway.net.Tls;
import io.courier.gateway.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.LineEncoder;
import io.netty.handler.codec.string.LineSeparator;
import io.netty.handler.codec.string.StringDecoder;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The MPIM line-protocol listener: UTF-8 text lines ending in {@code \n}. Handlers in the order data
 * flows: line framing (at most {@link #MAX_LINE_BYTES}; a longer line is skipped and reported), UTF-8
 * decoding (invalid bytes become U+FFFD instead of failing the line), line encoding, then the session.
 *
 * <p>There is no idle timeout: MPIM clients send no heartbeats, so a quiet connection is a live one; TCP
 * keep-alive finds dead peers. The outbound buffer is bounded like every real-time connection's
 * ({@code gateway.max-outbound}, slow consumers are disconnected).
 */
public final class MpimServer implements AutoCloseable {
    private Tls tls;
    /** Longest line read, in bytes: room for the longest text the server accepts (8192 characters by default). */
    public static final int MAX_LINE_BYTES = 64 * 1024;

    private final String bind;
    private final int port;
    private final Transport transport;
    private final MpimProtocol protocol;
    private final ChannelGroup connections;
    private Channel serverChannel;

    private final LoginDeadline.Policy logins;

    /** {@code loginTimeout} and {@code maxUnauthenticatedPerAddress}: as for native connections ({@link LoginDeadline}). */
    public MpimServer(String bind, int port, Transport transport, MpimProtocol protocol, ChannelGroup connections,
                      Duration loginTimeout, int maxUnauthenticatedPerAddress) {
        this.logins = new LoginDeadline.Policy(loginTimeout, maxUnauthenticatedPerAddress,
                "-ERR login timeout: no LOGIN or REGISTER within " + loginTimeout.toSeconds() + " s",
                "-ERR too many connections from this address are not logged in");
        this.bind = bind;
        this.port = port;
        this.transport = transport;
        this.protocol = protocol;
        this.connections = connections;
    }

    /** TLS on this listener (null: plain). Call before {@link #start}. */
    public MpimServer tls(Tls tls) {
        this.tls = tls;
        return this;
    }

    public MpimServer start() {
        StringDecoder utf8Decoder = new StringDecoder(StandardCharsets.UTF_8);
        LineEncoder lineEncoder = new LineEncoder(LineSeparator.UNIX, StandardCharsets.UTF_8);
        int maxOutbound = protocol.maxOutboundBytes();
        serverChannel = new ServerBootstrap()
                .group(transport.boss(), transport.workers())
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(maxOutbound / 2, maxOutbound))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls.handler(ch)); // first: everything after it reads plain text
                        }
                        ch.pipeline()
                                .addLast("login-deadline", new LoginDeadline(logins))
                                .addLast("line-decoder", new LineBasedFrameDecoder(MAX_LINE_BYTES, true, false))
                                .addLast("utf8-decoder", utf8Decoder)
                                .addLast("line-encoder", lineEncoder)
                                .addLast("session", new MpimHandler(protocol));
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
