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
 */
public record RealtimeSettings(Duration heartbeatInterval, Duration idleTimeout, int maxFrameBytes, int maxOutboundBytes,
                               int loginBacklog) {
}
