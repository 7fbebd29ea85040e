package io.courier.server.config;

/** The configuration cannot be used; the message says which key, from where, and why. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
