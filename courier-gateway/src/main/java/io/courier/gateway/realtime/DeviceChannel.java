package io.courier.gateway.realtime;

import io.courier.core.auth.Principal;
import io.courier.gateway.net.LoginDeadline;
import io.courier.core.delivery.ClientConnection;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.Kicked;
import io.courier.protocol.v1.Message;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One device's connection, whatever the wire: it turns envelopes into frames with its encoder, runs
 * the device's requests one after another (so two sends keep their order), and guards the order of
 * pushes around login: live pushes that arrive while the backlog of undelivered messages is being
 * sent wait, and any the backlog already carried are dropped, so a device gets each message once.
 *
 * <p>Slow consumers: a device whose write buffer stays above its high-water mark
 * ({@code gateway.max-outbound}) for {@link #SLOW_CONSUMER_AFTER_MS}, or ever holds
 * {@link #HARD_LIMIT_FACTOR} times the mark, is kicked ({@code slow_consumer}) and closed, at the
 * latest a second later if the kick frame cannot get through. A moment above the mark is no sign
 * of a slow reader: a busy group's fan-out, or a batch's pushes flushed together at the end of an
 * event-loop turn, fill the buffer while the device reads on. Nothing is lost: the messages are
 * stored, and the device gets them when it reconnects.
 *
 * <p>Line protocols use it too: their encoder returns null for a push the wire cannot express (nothing is
 * written), their answers are written as they are ({@link #answer}), and since their clients acknowledge
 * nothing, their {@link DeliveryTracker} hears of every message that reached the socket ({@link WrittenDelivery}).
 */
public final class DeviceChannel implements ClientConnection {
    private static final Logger log = LoggerFactory.getLogger(DeviceChannel.class);

    private static final int MAX_HELD_DURING_SYNC = 10_000;
    /** How long a kicked connection may take to flush its kick frame before it is closed anyway. */
    private static final long KICK_GRACE_MS = 1_000;
    /** How long the login backlog waits for a device whose buffer is full before giving up on it. */
    private static final long BACKLOG_STALL_MS = 10_000;
    /** How long the write buffer may stay above its high-water mark before the device is a slow consumer. */
    static final long SLOW_CONSUMER_AFTER_MS = 1_000;
    /** A buffer this many times its high-water mark is cut at once, so that the grace above stays bounded in memory. */
    static final int HARD_LIMIT_FACTOR = 4;

    private final Channel channel;
    private final Function<Envelope, Object> encoder;
    private final RequestQueue requests;
    private final WrittenDelivery written;
    private volatile Principal principal;
    /** Kicked, or detached from a connection that lives on: nothing more is written through this device. */
    private volatile boolean kicked;
    private volatile Consumer<String> onKick = reason -> { };
    private boolean syncing; // guarded by this
    private final List<Envelope> held = new ArrayList<>(); // guarded by this
    /**
     * The highest seq sent to this device per conversation (guarded by this). Fan-out of a batch
     * runs just after its commit, so a login backlog read in between already carried it: such a
     * push, at or below the mark, is dropped. A conversation's pushes come in seq order.
     */
    private final Map<String, Long> highestSent = new HashMap<>();
    /** Every frame but the kick goes through it, so that frames leave in the order they were written. */
    private final FrameQueue frames;
    /** When the write buffer last passed its high-water mark, 0 while below it (event loop only). */
    private long unwritableSince;

    public DeviceChannel(Channel channel, Function<Envelope, Object> encoder, Executor executor) {
        this(channel, encoder, executor, null);
    }

    /** {@code tracker} may be null: the device acknowledges what it receives itself. */
    public DeviceChannel(Channel channel, Function<Envelope, Object> encoder, Executor executor, DeliveryTracker tracker) {
        this.channel = channel;
        this.encoder = encoder;
        this.requests = new RequestQueue(executor, channel);
        this.frames = new FrameQueue(channel);
        this.written = new WrittenDelivery(tracker == null ? null : tracker::delivered);
    }

    public Channel channel() {
        return channel;
    }

    /**
     * From now on a message written to the socket counts as delivered ({@code Delivery.WRITTEN}): the
     * listener moves the device's cursors. Call before the device is registered for pushes.
     */
    public void deliverOnWrite(DeliveryTracker tracker) {
        written.listen(tracker::delivered);
    }

    /** Whether this device has delivered-when-written rather than acknowledging what it receives. */
    public boolean deliversOnWrite() {
        return written.active();
    }

    public Principal principal() {
        return principal;
    }

    /**
     * Marks the connection logged in; pushes are held until {@link #finishSync} sends the backlog.
     * {@code onKick} takes a kicked device out of circulation at once, before its socket closes (and
     * counts it): it is given the kick's reason.
     */
    public synchronized void loggedIn(Principal principal, Consumer<String> onKick) {
        this.principal = principal;
        this.onKick = onKick;
        this.syncing = true;
        LoginDeadline.passed(channel);
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
        if (alreadySent(envelope)) {
            return;
        }
        if (syncing) {
            if (held.size() >= MAX_HELD_DURING_SYNC) {
                kick("slow_consumer");
                return;
            }
            held.add(envelope);
            return;
        }
        write(envelope);
    }

    /** Several pushes, written together and flushed once. */
    @Override
    public synchronized void pushAll(List<Envelope> all) {
        List<Envelope> envelopes = all.stream().filter(e -> !alreadySent(e)).toList();
        if (envelopes.isEmpty()) {
            return;
        }
        if (syncing) {
            if (held.size() + envelopes.size() > MAX_HELD_DURING_SYNC) {
                kick("slow_consumer");
                return;
            }
            held.addAll(envelopes);
            return;
        }
        envelopes.forEach(this::write);
    }

    /** Answers a request directly: answers are never held back, but count against the same buffer. */
    public void reply(Envelope envelope) {
        write(envelope);
    }

    /** Answers with a frame already in the wire's form: a line protocol's reply, which is no envelope. */
    public void answer(Object frame) {
        answer(frame, null);
    }

    /** Like {@link #answer(Object)}; {@code whenWritten} runs on the event loop once the frame reached the socket. */
    public void answer(Object frame, Runnable whenWritten) {
        ChannelPromise promise = channel.voidPromise();
        if (whenWritten != null) {
            promise = channel.newPromise();
            promise.addListener(f -> {
                if (f.isSuccess()) {
                    whenWritten.run();
                }
            });
        }
        writeFrame(frame, promise);
    }

    private void write(Envelope envelope) {
        Object frame = encoder.apply(envelope);
        if (frame != null) {
            writeFrame(frame, written.promiseFor(channel, envelope));
        }
    }

    private void writeFrame(Object frame, ChannelPromise promise) {
        if (kicked) {
            return;
        }
        if (overHardLimit()) {
            kick("slow_consumer");
            return;
        }
        enqueue(frame, promise);
    }

    private void enqueue(Object frame, ChannelPromise promise) {
        frames.write(frame, promise);
    }

    /** Whether the bytes waiting for the socket (written from any thread) reached the hard limit. */
    private boolean overHardLimit() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer != null && channel.isActive()
                && buffer.totalPendingWriteBytes() >= (long) HARD_LIMIT_FACTOR * channel.config().getWriteBufferHighWaterMark();
    }

    /**
     * Sends the login backlog (or the answer to a line protocol's PULL), then what arrived meanwhile
     * minus what the backlog already carried. The backlog waits for the device to keep up (it runs
     * on a virtual thread and holds no lock while waiting, so live pushes are only held, never
     * blocked); a device that cannot take it within {@link #BACKLOG_STALL_MS} is disconnected as a
     * slow consumer.
     */
    public void finishSync(List<Message> backlog) {
        for (Message m : backlog) {
            if (!awaitWritable()) {
                return;
            }
            synchronized (this) {
                highestSent.merge(m.getConversationId(), m.getSeq(), Math::max);
            }
            Envelope e = Envelope.newBuilder().setMessage(m).build();
            Object frame = encoder.apply(e);
            if (frame != null && !kicked) {
                enqueue(frame, written.promiseFor(channel, e));
            }
        }
        // The backlog ends once the buffer is below its mark again: a writability event raised
        // while it was being sent must not be taken for a slow consumer afterwards.
        if (!awaitWritable()) {
            return;
        }
        synchronized (this) {
            for (Envelope e : held) {
                if (e.hasMessage() && e.getMessage().getSeq() <= highestSent.getOrDefault(e.getMessage().getConversationId(), 0L)) {
                    continue; // the backlog carried it
                }
                if (e.hasMessage()) {
                    highestSent.merge(e.getMessage().getConversationId(), e.getMessage().getSeq(), Math::max);
                }
                write(e);
            }
            held.clear();
            syncing = false;
        }
    }

    /**
     * Holds live pushes again until {@link #finishSync}: a line protocol's PULL sends the undelivered messages the
     * way a login backlog is sent, and drops the pushes it carried.
     */
    public synchronized void startSync() {
        syncing = true;
    }

    /**
     * Takes this device out of a connection that lives on (a line protocol's LOGOUT; the connection may log in
     * again with a new device channel): from now on nothing is written through it. Pushes queued before are
     * already ahead of anything written after.
     */
    public synchronized void detach() {
        kicked = true;
    }

    /**
     * Waits until everything written so far has reached the socket, so that the write listener has heard of it,
     * at most {@link #BACKLOG_STALL_MS}; false when the connection failed or stalled. Never on an event loop.
     */
    public boolean awaitFlushed() {
        ChannelPromise barrier = channel.newPromise();
        enqueue(Unpooled.EMPTY_BUFFER, barrier); // behind everything queued
        return barrier.awaitUninterruptibly(BACKLOG_STALL_MS) && barrier.isSuccess();
    }

    /** Whether a message push is at or below what was already sent; records it otherwise. Caller holds the lock. */
    private boolean alreadySent(Envelope e) {
        if (!e.hasMessage() || syncing) {
            return false; // while syncing, pushes are held and filtered against the backlog at the end
        }
        Message m = e.getMessage();
        Long highest = highestSent.get(m.getConversationId());
        if (highest != null && m.getSeq() <= highest) {
            return true;
        }
        highestSent.put(m.getConversationId(), m.getSeq());
        return false;
    }

    /** True while the login backlog is being sent (the buffer may then fill up by design). */
    synchronized boolean syncing() {
        return syncing;
    }

    /**
     * Called on the event loop when the channel's write buffer passes its high-water mark or falls
     * back below the low one: outside the login backlog, a device whose buffer stays above the mark
     * for {@link #SLOW_CONSUMER_AFTER_MS} is a slow consumer.
     */
    public void writabilityChanged() {
        if (channel.isWritable()) {
            unwritableSince = 0;
            return;
        }
        if (principal == null || syncing()) {
            return;
        }
        long since = System.nanoTime();
        unwritableSince = since;
        channel.eventLoop().schedule(() -> {
            if (unwritableSince == since && !channel.isWritable()) {
                kick("slow_consumer");
            }
        }, SLOW_CONSUMER_AFTER_MS, TimeUnit.MILLISECONDS);
    }

    private boolean awaitWritable() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BACKLOG_STALL_MS);
        while (!channel.isWritable()) {
            if (kicked || !channel.isActive()) {
                return false;
            }
            if (System.nanoTime() > deadline) {
                kick("slow_consumer");
                return false;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !kicked;
    }

    /**
     * Sends the kick frame and closes once it is flushed; a device that has stopped reading never
     * lets it flush, so the connection is closed after a short grace period regardless. Nothing is
     * written after a kick.
     */
    @Override
    public void kick(String reason) {
        if (kicked) {
            return;
        }
        kicked = true;
        // Security-relevant (a replaced or revoked session) or a sign of trouble (a slow consumer):
        // one line each, with who and from where.
        log.info("Cut off {} from {}: {}", principal == null ? "a connection not logged in"
                : "user " + principal.userId() + " device " + principal.deviceId(), channel.remoteAddress(), reason);
        onKick.accept(reason);
        Envelope kickedFrame = Envelope.newBuilder().setKicked(Kicked.newBuilder().setReason(reason)
                .setDeviceId(principal == null ? "" : principal.deviceId())).build();
        Object frame = encoder.apply(kickedFrame);
        if (frame == null) {
            channel.close();
            return;
        }
        channel.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, KICK_GRACE_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public String sessionId() {
        return principal.sessionId();
    }

    /** Runs the device's requests in arrival order, one at a time, off the event loop. */
    public void enqueue(Runnable request) {
        requests.enqueue(request);
    }

    @Override
    public String toString() {
        return "device " + (principal == null ? "(not logged in)" : principal.userId() + "/" + principal.deviceId())
                + " at " + channel.remoteAddress();
    }
}
