package io.courier.gateway.http;

import java.time.Duration;

/**
 * @param bind         address to listen on
 * @param port         port (0 picks a free one)
 * @param maxBodyBytes largest request body accepted; larger ones get 413
 * @param idleTimeout  an HTTP connection with no traffic for this long is closed
 */
public record HttpSettings(String bind, int port, int maxBodyBytes, Duration idleTimeout) {
}
