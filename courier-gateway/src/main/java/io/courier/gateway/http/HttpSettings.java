package io.courier.gateway.http;

import java.time.Duration;

/**
 * @param bind         address to listen on
 * @param port         port (0 picks a free one)
 * @param maxBodyBytes largest request body accepted; larger ones get 413
 * @param maxInFlight  requests processed at once across all connections; more get 503
 * @param idleTimeout  an HTTP connection with no traffic for this long is closed
 */
public record HttpSettings(String bind, int port, int maxBodyBytes, int maxInFlight, Duration idleTimeout) {
}
