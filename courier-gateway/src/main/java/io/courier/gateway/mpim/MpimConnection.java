package io.courier.gateway.mpim;

import io.courier.core.auth.Principal;
import io.courier.gateway.realtime.DeliveryTracker;
import io.courier.gateway.realtime.DeviceChannel;
import io.courier.gateway.realtime.RequestQueue;
import io.netty.channel.Channel;

import java.net.InetSocketAddress;
import java.util.concurrent.Executor;

/**
 * One line-protocol connection. The connection is the session, and it outlives its logins: LOGOUT ends
 * one and LOGIN may start another on the same socket. So each login gets a device channel of its own,
 * and a device that logged out writes nothing more, even a push already on its way to it; the request
 * queue belongs to the connection. Before the first login (and after a logout) an anonymous device
 * channel writes the answers, with the same bound on unread output.
 */
final class MpimConnection {
    private final Channel channel;
    private final Executor executor;
    private final RequestQueue requests;
    private volatile DeviceChannel device;
    private volatile DeliveryTracker tracker;

    MpimConnection(Channel channel, Executor executor) {
        this.channel = channel;
        this.executor = executor;
        this.requests = new RequestQueue(executor, channel);
        this.device = anonymous();
    }

    private DeviceChannel anonymous() {
        return new DeviceChannel(channel, MsgLines::encode, executor);
    }

    Channel channel() {
        return channel;
    }

    Executor executor() {
        return executor;
    }

    DeviceChannel device() {
        return device;
    }

    /** The logged-in user's session, or null. */
    Principal principal() {
        return device.principal();
    }

    DeliveryTracker tracker() {
        return tracker;
    }

    /** The peer's IP address, for the login throttle (null when unknown). */
    String remoteAddress() {
        return channel.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : null;
    }

    /** Runs the connection's lines in arrival order, one at a time, off the event loop. */
    void enqueue(Runnable line) {
        requests.enqueue(line);
    }

    void answer(String line) {
        device.answer(line);
    }

    /** A login's device takes over the connection. */
    void attach(DeviceChannel loggedIn, DeliveryTracker received) {
        this.tracker = received;
        this.device = loggedIn;
    }

    /** The login's device stops writing; answers go through an anonymous one again. */
    void detach() {
        device.detach();
        device = anonymous();
        tracker = null;
    }
}
