package io.courier.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.flush.FlushConsolidationHandler;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The least a chat server does for a message: a Netty server that reads a length-prefixed frame
 * and writes it to the connection it names. No storage, no ack, no protocol: the baseline that
 * {@code courier-bench baseline} measures on the same cores, with Courier's framing (4-byte length)
 * and Netty set-up (the same transport, flush consolidation), so that Courier's numbers are read
 * as a fraction of what the machine's network stack and Netty can do.
 *
 * <p>A connection's first frame is its 8-byte id; every later frame starts with the 8-byte id of
 * the connection it goes to.
 */
final class BareRouter implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel server;
    private final Map<Long, Channel> byId = new ConcurrentHashMap<>();

    private BareRouter(EventLoopGroup group, Channel server) {
        this.group = group;
        this.server = server;
    }

    static BareRouter start(int threads) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        BareRouter[] router = new BareRouter[1];
        Channel server = new ServerBootstrap().group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("flushes", new FlushConsolidationHandler(256, true))
                                .addLast("frames", new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4))
                                .addLast("length", new LengthFieldPrepender(4))
                                .addLast("route", new Route(router[0]));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        router[0] = new BareRouter(group, server);
        return router[0];
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private static final class Route extends SimpleChannelInboundHandler<ByteBuf> {
        private final BareRouter router;
        private boolean registered;

        Route(BareRouter router) {
            super(false);
            this.router = router;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            if (!registered) {
                router.byId.put(frame.readLong(), ctx.channel());
                registered = true;
                frame.release();
                return;
            }
            Channel to = router.byId.get(frame.getLong(frame.readerIndex()));
            if (to == null) {
                frame.release();
            } else {
                to.writeAndFlush(frame, to.voidPromise());
            }
        }
    }
}
