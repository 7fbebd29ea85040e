package io.courier.gateway.realtime;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.util.internal.PlatformDependent;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes frames to one channel in the order of the calls, from any thread. On the event loop with
 * nothing queued a frame is written at once; otherwise it joins the queue, and one task on the event
 * loop writes everything queued and flushes once. The delivery thread writes a batch's acks and
 * pushes one at a time, and one task and one wake-up of the loop per frame (what {@code
 * writeAndFlush} from another thread costs) was a good part of the server's allocation.
 */
final class FrameQueue {
    private record Outbound(Object frame, ChannelPromise promise) {
    }

    private final Channel channel;
    private final Queue<Outbound> queued = PlatformDependent.newMpscQueue();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();

    FrameQueue(Channel channel) {
        this.channel = channel;
    }

    void write(Object frame, ChannelPromise promise) {
        if (channel.eventLoop().inEventLoop() && queued.isEmpty()) {
            channel.writeAndFlush(frame, promise);
            return;
        }
        queued.offer(new Outbound(frame, promise));
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(this::drain);
        }
    }

    /** On the event loop: everything queued, one flush. */
    private void drain() {
        drainScheduled.set(false); // first: a frame queued from now on schedules another drain
        boolean wrote = false;
        for (Outbound o; (o = queued.poll()) != null; ) {
            channel.write(o.frame(), o.promise());
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }
}
