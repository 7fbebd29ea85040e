package io.courier.client;

import io.courier.protocol.v1.Envelope;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

import java.util.ArrayList;
import java.util.List;

/**
 * One connection of a client, from connect to close. A reconnect makes a new link; frames and the
 * close of an old link are told apart from the current one's by identity.
 */
final class Link {
    /** What a link reports to its client (on the link's event loop). */
    interface Events {
        void received(Link link, Envelope envelope);

        void closed(Link link, Throwable cause);
    }

    private final Channel channel;
    private volatile boolean loggedIn;
    private volatile Throwable failure;
    // Frames that arrived before the client took this link up (client's serial executor only).
    private final List<Envelope> early = new ArrayList<>();
    private boolean adopted;

    Link(Channel channel) {
        this.channel = channel;
    }

    Channel channel() {
        return channel;
    }

    boolean loggedIn() {
        return loggedIn;
    }

    void markLoggedIn() {
        loggedIn = true;
    }

    /**
     * Whether the client has taken this link up as its connection. Until then its frames are kept
     * ({@link #hold}): on WebSocket the server's {@code LoginOk} (and the login backlog behind it)
     * can be read before the client has handled the upgrade's completion.
     */
    boolean adopted() {
        return adopted;
    }

    void hold(Envelope envelope) {
        early.add(envelope);
    }

    /** Marks the link taken up and returns the frames held until now, in arrival order. */
    List<Envelope> adopt() {
        adopted = true;
        List<Envelope> held = List.copyOf(early);
        early.clear();
        return held;
    }

    void send(Envelope envelope) {
        channel.writeAndFlush(envelope, channel.voidPromise());
    }

    void close() {
        channel.close();
    }

    /** The last handler of every link's pipeline: hands decoded envelopes and the close to the client. */
    static final class Handler extends SimpleChannelInboundHandler<Envelope> {
        private final Events events;
        private Link link;

        Handler(Events events) {
            this.events = events;
        }

        void attach(Link link) {
            this.link = link;
        }

        Link link() {
            return link;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Envelope envelope) {
            events.received(link, envelope);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (link != null && link.failure == null) {
                link.failure = cause;
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (link != null) {
                events.closed(link, link.failure);
            }
            super.channelInactive(ctx);
        }
    }
}
