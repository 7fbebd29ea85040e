package io.courier.gateway.realtime;

import io.courier.core.auth.Principal;
import io.courier.core.delivery.ClientConnection;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.Kicked;
import io.courier.protocol.v1.Message;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One device's connection, whatever the wire: it turns envelopes into frames with its encoder, runs
 * the device's requests one after another (so two sends keep their order), and guards the order of
 * pushes around login: live pushes that arrive while the backlog of undelivered messages is being
 * sent wait, and any the backlog already carried are dropped, so a device gets each message once.
 *
 * <p>Slow consumers: the channel's write buffer is bounded by its high-water mark; a push that finds
 * the channel unwritable kicks the device ({@code slow_consumer}). Nothing is lost: the messages are
 * stored, and the device gets them by sync when it reconnects.
 */
public final class DeviceChannel implements ClientConnection {
    private static final int MAX_HELD_DURING_SYNC = 10_000;

    private final Channel channel;
    private final Function<Envelope, Object> encoder;
    private final Executor executor;
    private final ConcurrentLinkedQueue<Runnable> requests = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile Principal principal;
    private boolean syncing; // guarded by this
    private final List<Envelope> held = new ArrayList<>(); // guarded by this

    public DeviceChannel(Channel channel, Function<Envelope, Object> encoder, Executor executor) {
        this.channel = channel;
        this.encoder = encoder;
        this.executor = executor;
    }

    public Channel channel() {
        return channel;
    }

    public Principal principal() {
        return principal;
    }

    /** Marks the connection logged in; pushes are held until {@link #finishSync} sends the backlog. */
    synchronized void loggedIn(Principal principal) {
        this.principal = principal;
        this.syncing = true;
    }

    @Override
    public long userId() {
        return principal.userId();
    }

    @Override
    public String deviceId() {
        return principal.deviceId();
    }

    @Override
    public synchronized void push(Envelope envelope) {
        if (syncing) {
            if (held.size() >= MAX_HELD_DURING_SYNC) {
                kick("slow_consumer");
                return;
            }
            held.add(envelope);
            return;
        }
        if (!channel.isWritable() && channel.isActive()) {
            kick("slow_consumer");
            return;
        }
        channel.writeAndFlush(encoder.apply(envelope), channel.voidPromise());
    }

    /** Answers a request directly (answers are never held back). */
    public void reply(Envelope envelope) {
        channel.writeAndFlush(encoder.apply(envelope), channel.voidPromise());
    }

    /** Sends the login backlog, then what arrived meanwhile minus what the backlog already carried. */
    synchronized void finishSync(List<Message> backlog) {
        Map<String, Long> sent = new HashMap<>();
        for (Message m : backlog) {
            channel.write(encoder.apply(Envelope.newBuilder().setMessage(m).build()), channel.voidPromise());
            sent.merge(m.getConversationId(), m.getSeq(), Math::max);
        }
        for (Envelope e : held) {
            if (e.hasMessage() && e.getMessage().getSeq() <= sent.getOrDefault(e.getMessage().getConversationId(), 0L)) {
                continue;
            }
            channel.write(encoder.apply(e), channel.voidPromise());
        }
        held.clear();
        syncing = false;
        channel.flush();
    }

    @Override
    public void kick(String reason) {
        Envelope kicked = Envelope.newBuilder().setKicked(Kicked.newBuilder().setReason(reason)
                .setDeviceId(principal == null ? "" : principal.deviceId())).build();
        channel.writeAndFlush(encoder.apply(kicked)).addListener(ChannelFutureListener.CLOSE);
    }

    /** Runs the device's requests in arrival order, one at a time, off the event loop. */
    public void enqueue(Runnable request) {
        requests.add(request);
        drain();
    }

    private void drain() {
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        executor.execute(() -> {
            try {
                for (Runnable r; (r = requests.poll()) != null; ) {
                    r.run();
                }
            } finally {
                draining.set(false);
                if (!requests.isEmpty()) {
                    drain();
                }
            }
        });
    }

    @Override
    public String toString() {
        return "device " + (principal == null ? "(not logged in)" : principal.userId() + "/" + principal.deviceId())
                + " at " + channel.remoteAddress();
    }
}
