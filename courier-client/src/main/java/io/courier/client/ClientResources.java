package io.courier.client;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * What many clients in one JVM share: one Netty event loop group for their sockets and one executor
 * for their callbacks. A load generator opens thousands of clients on one instance; a single client
 * may create its own (see {@link CourierClientBuilder#build()}), which it then closes with itself.
 *
 * @implNote Callbacks run on virtual threads (each client keeps its own in order, see
 * {@link SerialExecutor}), so a listener that blocks holds up only its own client, never a socket.
 */
public final class ClientResources implements AutoCloseable {
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final ExecutorService callbacks;

    private ClientResources(int threads) {
        boolean epoll = Epoll.isAvailable();
        DefaultThreadFactory threadFactory = new DefaultThreadFactory("courier-client", true);
        this.group = new MultiThreadIoEventLoopGroup(threads, threadFactory,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        // One short virtual thread per burst of a client's events; a numbered name would format a new
        // string for each (13% of the load generator's samples at 10,000 msg/s).
        this.callbacks = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("courier-callback").factory());
    }

    /** One event loop per core. */
    public static ClientResources create() {
        return create(Runtime.getRuntime().availableProcessors());
    }

    public static ClientResources create(int ioThreads) {
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be at least 1");
        }
        return new ClientResources(ioThreads);
    }

    EventLoopGroup group() {
        return group;
    }

    Class<? extends SocketChannel> channelType() {
        return channelType;
    }

    ExecutorService callbacks() {
        return callbacks;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        callbacks.shutdown();
    }
}
