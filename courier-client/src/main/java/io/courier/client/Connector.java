package io.courier.client;

import io.courier.protocol.v1.Envelope;
import io.netty.bootstrap.Bootstrap;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.flush.FlushConsolidationHandler;

import java.io.IOException;
import javax.net.ssl.SSLParameters;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Opens a link with the pipeline of its transport. Native TCP: length framing and protobuf, the
 * client sends {@code Login} itself. WebSocket: the HTTP upgrade carries the token
 * ({@code /ws?token=…&format=protobuf&delivery=acked}), and the server sends {@code LoginOk} unasked.
 */
final class Connector {
    private final ClientResources resources;
    private final CourierClient.Settings settings;

    Connector(ClientResources resources, CourierClient.Settings settings) {
        this.resources = resources;
        this.settings = settings;
    }

    /** Completes with an open link (for WebSocket: upgraded), or fails. */
    CompletableFuture<Link> open(String token, Link.Events events) {
        Link.Handler handler = new Link.Handler(events);
        CompletableFuture<Link> opened = new CompletableFuture<>();
        int port = settings.transport() == Transport.TCP ? settings.tcpPort() : settings.httpPort();
        Bootstrap bootstrap = new Bootstrap()
                .group(resources.group())
                .channel(resources.channelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // Attached before the channel can close: a close that comes before the
                        // connect listener runs must still reach the client.
                        Link link = new Link(ch);
                        handler.attach(link);
                        if (settings.tls() != null) {
                            ch.pipeline().addLast("tls", tlsHandler(ch, port));
                        }
                        if (settings.transport() == Transport.TCP) {
                            tcp(ch.pipeline());
                        } else {
                            webSocket(ch.pipeline(), token);
                            // Watched from the start: the upgrade can finish before the connect listener runs.
                            ch.pipeline().addLast("upgrade-watch", new UpgradeWatch(link, opened));
                        }
                        ch.pipeline().addLast("client", handler);
                    }
                });
        ChannelFuture connect = settings.localAddress() == null
                ? bootstrap.connect(settings.host(), port)
                : bootstrap.connect(new InetSocketAddress(settings.host(), port), new InetSocketAddress(settings.localAddress(), 0));
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                opened.completeExceptionally(f.cause());
            } else if (settings.transport() == Transport.TCP) {
                opened.complete(handler.link());
            }
        });
        return opened;
    }

    /** TLS with the server's name checked against its certificate, as HTTPS checks it. */
    private SslHandler tlsHandler(SocketChannel ch, int port) {
        SslHandler tls = new JdkSslContext(settings.tls(), true, ClientAuth.NONE).newHandler(ch.alloc(), settings.host(), port);
        SSLParameters parameters = tls.engine().getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.engine().setSSLParameters(parameters);
        return tls;
    }

    private void tcp(ChannelPipeline p) {
        // Sends from the application's threads are one event-loop task each: one write per turn, not per send.
        p.addLast("flush-consolidation", new FlushConsolidationHandler(256, true))
                .addLast("frame-decoder", new LengthFieldBasedFrameDecoder(settings.maxFrameBytes(), 0, 4, 0, 4))
                .addLast("frame-encoder", new LengthFieldPrepender(4))
                .addLast("protobuf-decoder", new ProtobufDecoder(Envelope.getDefaultInstance()))
                .addLast("protobuf-encoder", new ProtobufEncoder());
    }

    private void webSocket(ChannelPipeline p, String token) {
        StringBuilder uri = new StringBuilder(settings.tls() != null ? "wss://" : "ws://").append(settings.host()).append(':').append(settings.httpPort())
                .append("/ws?format=protobuf&delivery=acked&token=").append(URLEncoder.encode(token, StandardCharsets.UTF_8));
        if (settings.deviceId() != null) {
            uri.append("&device_id=").append(URLEncoder.encode(settings.deviceId(), StandardCharsets.UTF_8));
        }
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(URI.create(uri.toString()))
                .version(WebSocketVersion.V13)
                .maxFramePayloadLength(settings.maxFrameBytes())
                .handshakeTimeoutMillis(settings.connectTimeout().toMillis())
                .build();
        p.addLast("http-codec", new HttpClientCodec())
                .addLast("http-aggregator", new HttpObjectAggregator(64 * 1024))
                .addLast("websocket", new WebSocketClientProtocolHandler(config))
                .addLast("websocket-envelopes", new EnvelopeFrames());
    }

    /** A WebSocket link is open once the upgrade completed; a refused upgrade fails the open. */
    private static final class UpgradeWatch extends ChannelInboundHandlerAdapter {
        private final Link link;
        private final CompletableFuture<Link> opened;

        UpgradeWatch(Link link, CompletableFuture<Link> opened) {
            this.link = link;
            this.opened = opened;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                ctx.pipeline().remove(this);
                opened.complete(link);
            } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                opened.completeExceptionally(new IOException("The WebSocket upgrade timed out"));
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
            opened.completeExceptionally(cause);
            super.exceptionCaught(ctx, cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            opened.completeExceptionally(new IOException("The connection closed during the WebSocket upgrade"));
            super.channelInactive(ctx);
        }
    }

    /** Binary WebSocket frames to and from Envelopes; the server answers text only to JSON clients. */
    private static final class EnvelopeFrames extends MessageToMessageCodec<WebSocketFrame, Envelope> {
        @Override
        protected void encode(ChannelHandlerContext ctx, Envelope envelope, List<Object> out) {
            out.add(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(envelope.toByteArray())));
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) throws IOException {
            if (!(frame instanceof BinaryWebSocketFrame)) {
                throw new CorruptedFrameException("Expected a binary frame, got " + frame.getClass().getSimpleName());
            }
            try (ByteBufInputStream in = new ByteBufInputStream(frame.content())) {
                out.add(Envelope.parseFrom(in));
            }
        }
    }
}
