package io.courier.gateway.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The event loops every listener of a node shares: native epoll on Linux, NIO elsewhere. One
 * acceptor thread and a worker loop per core serve HTTP, WebSocket and native TCP alike.
 */
public final class Transport implements AutoCloseable {
    private final boolean epoll;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;

    public Transport(int workerThreads) {
        this.epoll = Epoll.isAvailable();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.boss = new MultiThreadIoEventLoopGroup(1, factory);
        this.workers = new MultiThreadIoEventLoopGroup(workerThreads, factory);
    }

    public EventLoopGroup boss() { return boss; }

    public EventLoopGroup workers() { return workers; }

    public Class<? extends ServerChannel> serverChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public String name() {
        return epoll ? "epoll" : "nio";
    }

    @Override
    public void close() {
        boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
