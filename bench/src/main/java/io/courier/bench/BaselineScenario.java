package io.courier.bench;

import io.netty.bootstrap.Bootstrap;
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
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code courier-bench baseline}: the closed loop of {@code p2p} (pairs of connections, a window of
 * frames in flight per sender, the next sent when one arrives) through a {@link BareRouter} in this
 * process instead of a Courier server. Its delivered frames per second are the ceiling that
 * Courier's p2p numbers are a fraction of, measured on the same machine in the same session
 * (docs/benchmarks.md reports the ratio). A Courier message costs three frames (send, ack, push)
 * and a durable write; a baseline message one frame and no write.
 */
final class BaselineScenario {
    record Options(int pairs, int window, int frameBytes, int ioThreads, Duration warmup, Duration measured) {
    }

    private final Options options;
    private final PrintStream log;
    private final Recorder latency = new Recorder(3);
    private final LongAdder delivered = new LongAdder();
    private final AtomicLong faults = new AtomicLong();
    private volatile boolean measuring;
    private volatile boolean stopped;

    BaselineScenario(Options options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    Result run() throws Exception {
        Result result = new Result("baseline", "every frame arrived once, in order");
        result.parameters.put("pairs", options.pairs());
        result.parameters.put("window", options.window());
        result.parameters.put("frame_bytes", options.frameBytes());
        result.parameters.put("connections", 2 * options.pairs());
        boolean epoll = Epoll.isAvailable();
        int routerThreads = Runtime.getRuntime().availableProcessors();
        try (BareRouter router = BareRouter.start(routerThreads)) {
            EventLoopGroup clients = new MultiThreadIoEventLoopGroup(options.ioThreads(),
                    epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
            try {
                List<Stream> streams = new ArrayList<>();
                for (int i = 0; i < options.pairs(); i++) {
                    Stream s = new Stream(2L * i, 2L * i + 1);
                    s.sender = connect(clients, epoll, router.port(), s.senderId, null);
                    s.receiver = connect(clients, epoll, router.port(), s.receiverId, s);
                    streams.add(s);
                }
                streams.forEach(Stream::start);
                log.printf("  baseline: %d pairs through a bare Netty router, window %d, %d-byte frames%n",
                        options.pairs(), options.window(), options.frameBytes());
                Thread.sleep(options.warmup().toMillis());
                latency.reset();
                long before = delivered.sum();
                measuring = true;
                long start = System.nanoTime();
                Thread.sleep(options.measured().toMillis());
                long count = delivered.sum() - before;
                double seconds = (System.nanoTime() - start) / 1e9;
                measuring = false;
                stopped = true;
                Histogram e2e = latency.getIntervalHistogram();
                result.metrics.put("delivered_per_s", Math.round(count / seconds));
                result.metrics.put("e2e_ms", Sampler.percentiles(e2e));
                result.endToEnd = e2e;
                if (faults.get() > 0) {
                    result.faults.add(faults.get() + " frames arrived out of order or twice");
                }
                for (Stream s : streams) {
                    s.sender.close();
                    s.receiver.close();
                }
            } finally {
                clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
            }
        }
        return result;
    }

    private Channel connect(EventLoopGroup group, boolean epoll, int port, long id, Stream receiving) throws InterruptedException {
        Channel ch = new Bootstrap().group(group).channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4)).addLast(new LengthFieldPrepender(4));
                        if (receiving != null) {
                            c.pipeline().addLast(new Receive(receiving));
                        }
                    }
                })
                .connect("127.0.0.1", port).sync().channel();
        ch.writeAndFlush(ch.alloc().buffer(8).writeLong(id)).sync();
        return ch;
    }

    /** One sender and its receiver; frames carry the destination, a sequence number and the send time. */
    private final class Stream {
        final long senderId;
        final long receiverId;
        Channel sender;
        Channel receiver;
        private long nextSeq;     // sender's event loop only
        private long expectedSeq; // receiver's event loop only

        Stream(long senderId, long receiverId) {
            this.senderId = senderId;
            this.receiverId = receiverId;
        }

        void start() {
            sender.eventLoop().execute(() -> {
                for (int i = 0; i < options.window(); i++) {
                    send();
                }
            });
        }

        /** On the sender's event loop. */
        void send() {
            if (stopped) {
                return;
            }
            ByteBuf frame = sender.alloc().buffer(options.frameBytes());
            frame.writeLong(receiverId).writeLong(nextSeq++).writeLong(System.nanoTime());
            frame.writeZero(Math.max(0, options.frameBytes() - 24));
            sender.writeAndFlush(frame, sender.voidPromise());
        }

        /** On the receiver's event loop: checks the order, records the latency, and lets the sender send the next. */
        void arrived(ByteBuf frame) {
            long seq = frame.getLong(frame.readerIndex() + 8);
            long sentAt = frame.getLong(frame.readerIndex() + 16);
            if (seq != expectedSeq) {
                faults.incrementAndGet();
            }
            expectedSeq = seq + 1;
            delivered.increment();
            if (measuring) {
                latency.recordValue(Math.max(1, (System.nanoTime() - sentAt) / 1_000));
            }
            sender.eventLoop().execute(this::send);
        }
    }

    private static final class Receive extends SimpleChannelInboundHandler<ByteBuf> {
        private final Stream stream;

        Receive(Stream stream) {
            this.stream = stream;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            stream.arrived(frame);
        }
    }
}
