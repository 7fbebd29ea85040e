package io.courier.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.core.auth.Authenticator;
import io.courier.core.error.BackendException;
import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Routes each full HTTP request and runs its handler off the event loop (handlers hash passwords and
 * talk to the database); the response is written back through the channel, which hands it to the
 * loop. A connection has one request in work at a time: requests pipelined behind it wait in a
 * short per-connection queue (and reading pauses), so answers leave in the order requests came.
 * Every failure becomes a JSON error with a stable code; only genuine bugs are logged with a stack
 * trace.
 */
@ChannelHandler.Sharable
public final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    /** Requests one connection may pipeline behind the one in work before it is cut off. */
    private static final int MAX_PIPELINED = 32;
    private static final AttributeKey<Pipeline> PIPELINE = AttributeKey.valueOf("courier.http.pipeline");

    private final Router router;
    private final Authenticator authenticator;
    private final ObjectMapper json;
    private final ExecutorService executor;
    private final Semaphore inFlight;
    private final MeterRegistry metrics;

    /** Per-connection ordering state; touched only on the connection's event loop. */
    private static final class Pipeline {
        final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
        boolean busy;
    }

    public ApiHandler(Router router, Authenticator authenticator, ObjectMapper json, ExecutorService executor,
                      int maxInFlight, MeterRegistry metrics) {
        this.router = router;
        this.authenticator = authenticator;
        this.json = json;
        this.executor = executor;
        this.inFlight = new Semaphore(maxInFlight);
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        Runnable work = prepare(ctx, request, System.nanoTime());
        Pipeline pipeline = ctx.channel().attr(PIPELINE).get();
        if (pipeline == null) {
            pipeline = new Pipeline();
            ctx.channel().attr(PIPELINE).set(pipeline);
        }
        if (pipeline.busy) {
            if (pipeline.waiting.size() >= MAX_PIPELINED) {
                ctx.close();
                return;
            }
            pipeline.waiting.add(work);
            return;
        }
        pipeline.busy = true;
        ctx.channel().config().setAutoRead(false);
        work.run();
    }

    /** Everything about the request is copied out here, so the pooled request buffer can be released. */
    private Runnable prepare(ChannelHandlerContext ctx, FullHttpRequest request, long start) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String method = request.method().name();
        if (request.decoderResult().isFailure()) {
            ApiResponse error = ErrorResponses.of(CourierException.of(ErrorCode.BAD_REQUEST, "The HTTP request could not be decoded"));
            return () -> finish(ctx, false, error, "UNMATCHED", method, start);
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path;
        Map<String, List<String>> query;
        try { // decoding is lazy and throws on broken percent-escapes such as "%zz"
            path = uri.path();
            query = uri.parameters();
        } catch (IllegalArgumentException e) {
            ApiResponse error = ErrorResponses.of(CourierException.of(ErrorCode.BAD_REQUEST, "The request URI is not properly encoded"));
            return () -> finish(ctx, keepAlive, error, "UNMATCHED", method, start);
        }
        Router.Match match = router.match(request.method(), path);
        if (!match.found()) {
            ApiResponse error = match.allowed().isEmpty()
                    ? ErrorResponses.of(CourierException.of(ErrorCode.ROUTE_NOT_FOUND, "No route for " + path))
                    : ErrorResponses.of(CourierException.of(ErrorCode.METHOD_NOT_ALLOWED, method + " is not allowed on " + path))
                    .header("Allow", String.join(", ", match.allowed()));
            return () -> finish(ctx, keepAlive, error, "UNMATCHED", method, start);
        }
        Router.Route route = match.route();
        ApiRequest apiRequest = new ApiRequest(method, path, match.params(), query,
                request.headers().copy(), ByteBufUtil.getBytes(request.content()), address(ctx), json);
        if (route.inline()) {
            return () -> finish(ctx, keepAlive, handle(route, apiRequest), route.template(), method, start);
        }
        return () -> {
            if (!inFlight.tryAcquire()) {
                finish(ctx, keepAlive, ErrorResponses.of(CourierException.of(ErrorCode.OVERLOADED)), route.template(), method, start);
                return;
            }
            try {
                executor.execute(() -> {
                    try {
                        finish(ctx, keepAlive, handle(route, apiRequest), route.template(), method, start);
                    } finally {
                        inFlight.release();
                    }
                });
            } catch (RejectedExecutionException e) { // shutting down
                inFlight.release();
                finish(ctx, false, ErrorResponses.of(CourierException.of(ErrorCode.OVERLOADED)), route.template(), method, start);
            }
        };
    }

    private ApiResponse handle(Router.Route route, ApiRequest request) {
        try {
            if (route.access() == Router.Access.AUTHENTICATED) {
                request.authenticate(authenticator.authenticate(request.bearerToken()));
            }
            return route.handler().handle(request);
        } catch (CourierException e) {
            return ErrorResponses.of(e);
        } catch (BackendException e) {
            log.warn("{} {} failed on a backing service: {}", request.method(), request.path(), e.getMessage());
            return ErrorResponses.of(CourierException.of(ErrorCode.UNAVAILABLE));
        } catch (RuntimeException e) {
            log.error("{} {} failed", request.method(), request.path(), e);
            return ErrorResponses.of(CourierException.of(ErrorCode.INTERNAL));
        }
    }

    /** Writes the answer, then starts the next pipelined request (on the event loop). Any thread. */
    private void finish(ChannelHandlerContext ctx, boolean keepAlive, ApiResponse response, String routeTag,
                        String method, long start) {
        // Counted before the write, so a client that has its answer also finds it in /metrics.
        Timer.builder("http.server.requests")
                .description("HTTP API requests")
                .tags("method", method, "uri", routeTag, "status", Integer.toString(response.status().code()))
                .register(metrics)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        FullHttpResponse http = HttpResponses.toHttp(json, response);
        HttpUtil.setKeepAlive(http, keepAlive);
        var future = ctx.writeAndFlush(http);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
        if (ctx.executor().inEventLoop()) {
            next(ctx);
        } else {
            ctx.executor().execute(() -> next(ctx));
        }
    }

    private void next(ChannelHandlerContext ctx) {
        Pipeline pipeline = ctx.channel().attr(PIPELINE).get();
        Runnable work = pipeline.waiting.poll();
        if (work != null) {
            work.run();
        } else {
            pipeline.busy = false;
            ctx.channel().config().setAutoRead(true);
        }
    }

    private static String address(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : null;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A peer that resets its connection is not news.
        log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
