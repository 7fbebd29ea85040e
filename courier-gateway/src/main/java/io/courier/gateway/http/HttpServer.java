package io.courier.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.gateway.net.Tls;
import io.courier.gateway.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** The HTTP listener: REST API, health, metrics (and, with real-time messaging, the WebSocket upgrade). */
public final class HttpServer implements AutoCloseable {
    private Tls tls;
    private final HttpSettings settings;
    private final Transport transport;
    private final ApiHandler api;
    private final ObjectMapper json;
    private final ChannelGroup connections;
    private final ChannelHandler upgrade;
    private Channel serverChannel;

    /**
     * @param connections where open client connections are tracked (shared with the other listeners)
     * @param upgrade     sees every request before the API and takes over those that upgrade the
     *                    connection (the WebSocket endpoint); it passes the rest on
     */
    public HttpServer(HttpSettings settings, Transport transport, ApiHandler api, ObjectMapper json, ChannelGroup connections,
                      ChannelHandler upgrade) {
        this.connections = connections;
        this.upgrade = upgrade;
        this.settings = settings;
        this.transport = transport;
        this.api = api;
        this.json = json;
    }

    /** TLS on this listener (null: plain). Call before {@link #start}. */
    public HttpServer tls(Tls tls) {
        this.tls = tls;
        return this;
    }

    public HttpServer start() {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(transport.boss(), transport.workers())
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls.handler(ch)); // first: everything after it reads plain text
                        }
                        HeaderDeadline headerDeadline = new HeaderDeadline(settings.headerTimeout());
                        ch.pipeline()
                                .addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeout().toSeconds(), TimeUnit.SECONDS))
                                .addLast("idle-close", new IdleClose())
                                .addLast("header-deadline", headerDeadline)
                                .addLast("codec", new HttpServerCodec())
                                .addLast("headers-seen", headerDeadline.headersSeen())
                                .addLast("aggregator", new JsonAwareAggregator(settings.maxBodyBytes(), json))
                                .addLast("upgrade", upgrade)
                                .addLast("api", api);
                    }
                });
        serverChannel = bootstrap.bind(settings.bind(), settings.port()).syncUninterruptibly().channel();
        return this;
    }

    /** The port actually bound (differs from the setting when that is 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
    }

    /** Closes connections that carried nothing for the idle timeout. */
    private static final class IdleClose extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
            } else {
                super.userEventTriggered(ctx, evt);
            }
        }
    }

    /** Answers an oversized body with the same JSON error as every other failure, then closes. */
    private static final class JsonAwareAggregator extends HttpObjectAggregator {
        private final ObjectMapper json;

        JsonAwareAggregator(int maxContentLength, ObjectMapper json) {
            super(maxContentLength);
            this.json = json;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            ApiResponse error = ErrorResponses.of(CourierException.of(ErrorCode.BODY_TOO_LARGE,
                    "The request body is larger than " + maxContentLength() + " bytes"));
            FullHttpResponse response = HttpResponses.toHttp(json, error);
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
