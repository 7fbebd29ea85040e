package io.courier.gateway.realtime;

import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * One socket write per event-loop turn on a real-time connection, however many frames the turn
 * wrote: the message writer pushes a batch to a device as one task per message, and a device's
 * answers come from its request thread, each with its own flush. Flushes during a read are held to
 * its end, flushes outside one to the end of the loop's current tasks (at most 256 are held).
 * The write buffer counts the held frames too, which is why a moment above its high-water mark is
 * not yet a slow consumer ({@link DeviceChannel}).
 */
public final class Flushes {
    private static final int MAX_HELD_FLUSHES = 256;

    private Flushes() {
    }

    /** A handler for the front of a real-time connection's pipeline (one per channel: it keeps state). */
    public static FlushConsolidationHandler consolidated() {
        return new FlushConsolidationHandler(MAX_HELD_FLUSHES, true);
    }
}
