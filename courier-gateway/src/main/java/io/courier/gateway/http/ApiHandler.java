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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;

/**
 * Routes each full HTTP request and runs its handler off the event loop (handlers hash passwords and
 * talk to the database); the response is written back through the channel, which hands it to the
 * loop. Reading from a connection pauses while its request runs, so pipelined requests are answered
 * in order. Every failure becomes a JSON error with a stable code; only genuine bugs are logged
 * with a stack trace.
 */
@ChannelHandler.Sharable
public final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);

    private final Router router;
    private final Authenticator authenticator;
    private final ObjectMapper json;
    private final ExecutorService executor;
    private final Semaphore inFlight;
    private final MeterRegistry metrics;

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
        long start = System.nanoTime();
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (request.decoderResult().isFailure()) {
            respond(ctx, false, ErrorResponses.of(CourierException.of(ErrorCode.BAD_REQUEST, "The HTTP request could not be decoded")),
                    "UNMATCHED", request.method().name(), start);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        Router.Match match = router.match(request.method(), uri.path());
        if (!match.found()) {
            ApiResponse response = match.allowed().isEmpty()
                    ? ErrorResponses.of(CourierException.of(ErrorCode.ROUTE_NOT_FOUND, "No route for " + uri.path()))
                    : ErrorResponses.of(CourierException.of(ErrorCode.METHOD_NOT_ALLOWED,
                    request.method().name() + " is not allowed on " + uri.path()))
                    .header("Allow", String.join(", ", match.allowed()));
            respond(ctx, keepAlive, response, "UNMATCHED", request.method().name(), start);
            return;
        }
        ApiRequest apiRequest = new ApiRequest(request.method().name(), uri.path(), match.params(), uri.parameters(),
                request.headers().copy(), ByteBufUtil.getBytes(request.content()), address(ctx), json);
        Router.Route route = match.route();
        if (!inFlight.tryAcquire()) {
            respond(ctx, keepAlive, ErrorResponses.of(CourierException.of(ErrorCode.OVERLOADED)), route.template(),
                    apiRequest.method(), start);
            return;
        }
        ctx.channel().config().setAutoRead(false);
        try {
            executor.execute(() -> {
                try {
                    respond(ctx, keepAlive, handle(route, apiRequest), route.template(), apiRequest.method(), start);
                } finally {
                    inFlight.release();
                    ctx.channel().config().setAutoRead(true);
                }
            });
        } catch (RejectedExecutionException e) { // shutting down
            inFlight.release();
            ctx.channel().config().setAutoRead(true);
            respond(ctx, false, ErrorResponses.of(CourierException.of(ErrorCode.OVERLOADED)), route.template(),
                    apiRequest.method(), start);
        }
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

    private void respond(ChannelHandlerContext ctx, boolean keepAlive, ApiResponse response, String routeTag,
                         String method, long start) {
        FullHttpResponse http = HttpResponses.toHttp(json, response);
        HttpUtil.setKeepAlive(http, keepAlive);
        var future = ctx.writeAndFlush(http);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
        Timer.builder("http.server.requests")
                .description("HTTP API requests")
                .tags("method", method, "uri", routeTag, "status", Integer.toString(response.status().code()))
                .register(metrics)
                .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private static String address(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : null;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A peer that resets its connection is not news; anything else is worth one line.
        log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
