package io.courier.gateway.realtime;

import io.courier.core.auth.Principal;
import io.courier.gateway.tcp.FramedEnvelopeEncoder;
import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.Message;
import io.courier.protocol.v1.Text;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The slow-consumer rule over a real loopback socket: a device whose buffer passes its high-water
 * mark is cut only if it stays there for {@link DeviceChannel#SLOW_CONSUMER_AFTER_MS}, or at once if
 * the buffer reaches {@link DeviceChannel#HARD_LIMIT_FACTOR} times the mark. The client socket
 * stops reading to fill the buffer; the test pushes until the server channel reports itself
 * unwritable, so how much the kernel absorbs first does not matter.
 */
class SlowConsumerRuleTest {
    private static final int HIGH_MARK = 32 * 1024;
    private static final String TEXT = "x".repeat(4_000);

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ExecutorService requests = Executors.newSingleThreadExecutor();
    private final CompletableFuture<DeviceChannel> accepted = new CompletableFuture<>();
    /** When the device was kicked (System.nanoTime()). */
    private final CompletableFuture<Long> kicked = new CompletableFuture<>();
    private Channel server;
    private Socket client;
    private DeviceChannel device;
    private long seq;

    @BeforeEach
    void connect() throws Exception {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.SO_SNDBUF, 8 * 1024)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(HIGH_MARK / 2, HIGH_MARK))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        DeviceChannel d = new DeviceChannel(ch, e -> e, requests);
                        ch.pipeline().addLast(new FramedEnvelopeEncoder()).addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                                d.writabilityChanged();
                            }
                        });
                        accepted.complete(d);
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        client = new Socket();
        client.setReceiveBufferSize(16 * 1024); // before connecting: a fixed window, no autotuning
        client.connect(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort()));
        device = accepted.get(5, TimeUnit.SECONDS);
        device.loggedIn(new Principal(7, "phone", "session"), reason -> kicked.complete(System.nanoTime()));
        device.finishSync(List.of());
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        server.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        requests.shutdownNow();
    }

    @Test
    void aDeviceThatFallsBehindForAMomentAndReadsOnIsNotCut() throws Exception {
        int pushed = fillPastTheMark();
        for (int i = 0; i < 2; i++, pushed++) {
            device.push(message()); // pushes go on while it is behind (the buffer stays far below the hard limit)
        }
        // it is behind (past the mark, the grace running), and reads again, everything that was pushed, and the channel stays open well past the grace
        client.setSoTimeout(10_000);
        DataInputStream in = new DataInputStream(client.getInputStream());
        for (int i = 0; i < pushed; i++) {
            Envelope e = read(in);
            assertThat(e.hasMessage()).as("frame %d is a message, not a kick: %s", i, e.getBodyCase()).isTrue();
        }
        // The grace check was scheduled on the event loop when the buffer passed the mark; a task
        // scheduled now with the same delay runs after it, so once it has run the check has too.
        device.channel().eventLoop().schedule(() -> { }, DeviceChannel.SLOW_CONSUMER_AFTER_MS, TimeUnit.MILLISECONDS).sync();
        assertThat(kicked).as("never kicked").isNotDone();
        assertThat(device.channel().isActive()).as("still connected").isTrue();
        device.push(message());
        assertThat(read(in).hasMessage()).isTrue();
    }

    @Test
    void aDeviceThatStaysBehindIsCutAfterTheGrace() throws Exception {
        fillPastTheMark();
        long t0 = System.nanoTime();
        long ms = TimeUnit.NANOSECONDS.toMillis(kicked.get(10, TimeUnit.SECONDS) - t0);
        assertThat(ms).as("ms until kicked: not before the grace").isGreaterThanOrEqualTo(DeviceChannel.SLOW_CONSUMER_AFTER_MS - 200);
        assertThat(device.channel().closeFuture().await(10, TimeUnit.SECONDS)).as("closed").isTrue();
        readUntilClosed();
    }

    @Test
    void aBufferAtTheHardLimitIsCutAtOnce() throws Exception {
        fillPastTheMark();
        long t0 = System.nanoTime();
        // paced like fillPastTheMark: a frame counts once the event loop has encoded it
        for (int i = 0; i < 2 * DeviceChannel.HARD_LIMIT_FACTOR * HIGH_MARK / TEXT.length() && !kicked.isDone(); i++) {
            device.push(message());
            eventLoopCaughtUp();
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(kicked.get(10, TimeUnit.SECONDS) - t0);
        assertThat(ms).as("ms until kicked: well within the grace").isLessThan(DeviceChannel.SLOW_CONSUMER_AFTER_MS / 2);
        assertThat(device.channel().closeFuture().await(10, TimeUnit.SECONDS)).as("closed").isTrue();
        readUntilClosed();
    }

    /** Pushes until the server's channel is above its high-water mark; the client reads nothing meanwhile. */
    private int fillPastTheMark() throws InterruptedException {
        int pushed = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (device.channel().isWritable()) {
            assertThat(System.nanoTime()).as("the buffer never filled").isLessThan(deadline);
            device.push(message());
            pushed++;
            eventLoopCaughtUp(); // the event loop has written it to the socket, so the kernel fills first
        }
        return pushed;
    }

    /** Waits until the event loop has run everything queued on it before (the writes of the pushes so far). */
    private void eventLoopCaughtUp() throws InterruptedException {
        device.channel().eventLoop().submit(() -> { }).sync();
    }

    private Message.Builder messageBuilder() {
        return Message.newBuilder().setConversationId("p:1:7").setSeq(++seq).setSenderId(1)
                .setContent(Content.newBuilder().setText(Text.newBuilder().setText(TEXT)));
    }

    private Envelope message() {
        return Envelope.newBuilder().setMessage(messageBuilder()).build();
    }

    private static Envelope read(DataInputStream in) throws IOException {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        return Envelope.parseFrom(frame);
    }

    /**
     * Reads what the server had sent until it closed the connection (a read timeout fails the test);
     * the kick frame itself may not have fitted into the full buffer.
     */
    private void readUntilClosed() throws IOException {
        client.setSoTimeout(10_000);
        DataInputStream in = new DataInputStream(client.getInputStream());
        try {
            while (true) {
                Envelope e = read(in);
                if (e.hasKicked()) {
                    assertThat(e.getKicked().getReason()).isEqualTo("slow_consumer");
                }
            }
        } catch (EOFException | SocketException closed) {
            // the server closed the connection
        }
    }
}
