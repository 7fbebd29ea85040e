package io.courier.gateway.realtime;

import java.time.Duration;

/**
 * @param heartbeatInterval how often clients should send a heartbeat; the server sends one (or a
 *                          WebSocket ping) when it has written nothing for this long
 * @param idleTimeout       a connection the server has heard nothing from for this long is closed
 * @param maxFrameBytes     largest native frame (and WebSocket message) accepted
 * @param maxOutboundBytes  bytes a connection may have waiting to be written before it counts as a
 *                          slow consumer and is disconnected
 * @param loginBacklog      most undelivered messages pushed right after login
 * @param loginTimeout      a native or MPIM connection not logged in this long after it opened is closed
 * @param maxUnauthenticatedPerAddress connections of one address that may be open without a login at once
 */
public record RealtimeSettings(Duration heartbeatInterval, Duration idleTimeout, int maxFrameBytes, int maxOutboundBytes,
                               int loginBacklog, Duration loginTimeout, int maxUnauthenticatedPerAddress) {
}
