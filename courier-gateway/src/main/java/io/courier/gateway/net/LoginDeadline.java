package io.courier.gateway.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The first handler of a connection that must log in (native TCP, MPIM lines): a connection that has
 * not logged in within the deadline is told so and closed, whatever it sent meanwhile (heartbeats
 * included), and one address may hold only so many connections that have not logged in yet. Its
 * session handler calls {@link #passed} at the login, which takes this handler out of the pipeline.
 * The goodbye messages are the protocol's own (an error frame, an -ERR line), written from the
 * pipeline's tail so that its encoders apply.
 */
public final class LoginDeadline extends ChannelInboundHandlerAdapter {
    /** The settings and the per-address count one listener's connections share. */
    public static final class Policy {
        private final Duration timeout;
        private final int maxPerAddress;
        private final Object timedOut;
        private final Object tooMany;
        private final Map<String, Integer> waiting = new ConcurrentHashMap<>();

        /** {@code timedOut} and {@code tooMany}: what the connection is told before it is closed. */
        public Policy(Duration timeout, int maxPerAddress, Object timedOut, Object tooMany) {
            this.timeout = timeout;
            this.maxPerAddress = maxPerAddress;
            this.timedOut = timedOut;
            this.tooMany = tooMany;
        }

        private boolean tryAdd(String address) {
            boolean[] added = {false};
            waiting.compute(address, (a, n) -> {
                int now = n == null ? 0 : n;
                if (now >= maxPerAddress) {
                    return n;
                }
                added[0] = true;
                return now + 1;
            });
            return added[0];
        }

        private void remove(String address) {
            waiting.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        }

        /** Connections of {@code address} not logged in yet, for tests and metrics. */
        public int waiting(String address) {
            return waiting.getOrDefault(address, 0);
        }
    }

    private final Policy policy;
    private String address;
    private boolean counted;
    private ScheduledFuture<?> timer;

    public LoginDeadline(Policy policy) {
        this.policy = policy;
    }

    /** The connection logged in: no deadline any more. Any thread; a connection without one is left alone. */
    public static void passed(Channel channel) {
        LoginDeadline deadline = channel.pipeline().get(LoginDeadline.class);
        if (deadline != null) {
            try {
                channel.pipeline().remove(deadline);
            } catch (java.util.NoSuchElementException alreadyGone) {
                // removed by a concurrent call, or the channel closed
            }
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        address = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "?";
        super.channelActive(ctx);
        if (!policy.tryAdd(address)) {
            goodbye(ctx, policy.tooMany);
            return;
        }
        counted = true;
        timer = ctx.executor().schedule(() -> goodbye(ctx, policy.timedOut), policy.timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        release();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    private void release() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (counted) {
            counted = false;
            policy.remove(address);
        }
    }

    private static void goodbye(ChannelHandlerContext ctx, Object message) {
        if (ctx.channel().isActive()) {
            ctx.channel().writeAndFlush(message).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
