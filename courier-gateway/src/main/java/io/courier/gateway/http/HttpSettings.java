package io.courier.gateway.http;

import java.time.Duration;

/**
 * @param bind         address to listen on
 * @param port         port (0 picks a free one)
 * @param maxBodyBytes largest request body accepted; larger ones get 413
 * @param idleTimeout  an HTTP connection with no traffic for this long is closed
 * @param headerTimeout a request's headers must be complete this long after the connection opened
 *                      or the previous response went out, or it gets 408 and the connection is closed
 */
public record HttpSettings(String bind, int port, int maxBodyBytes, Duration idleTimeout, Duration headerTimeout) {
}
