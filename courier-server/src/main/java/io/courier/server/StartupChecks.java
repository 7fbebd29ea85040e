package io.courier.server;

import io.courier.server.config.ConfigKey;
import io.courier.server.config.CourierConfig;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

import static io.courier.server.config.ConfigKeys.BIND;
import static io.courier.server.config.ConfigKeys.HTTP_PORT;
import static io.courier.server.config.ConfigKeys.MPIM_PORT;
import static io.courier.server.config.ConfigKeys.TCP_PORT;

/**
 * What is checked before a node creates anything (its data directory included): that every
 * listener's port can be bound. A port taken between this check and the listener's own bind still
 * fails in one line ({@link #bindFailure}).
 */
final class StartupChecks {
    private StartupChecks() {
    }

    static void portsAreFree(CourierConfig config) {
        InetAddress bind = address(config);
        for (ConfigKey<Integer> key : List.of(HTTP_PORT, TCP_PORT, MPIM_PORT)) {
            int port = config.get(key);
            if (port == 0) {
                continue; // any free port
            }
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true); // as the listeners bind: a port in TIME_WAIT is free
                probe.bind(new InetSocketAddress(bind, port));
            } catch (IOException e) {
                throw bindFailure(key, config, e);
            }
        }
    }

    static StartupException bindFailure(ConfigKey<Integer> key, CourierConfig config, Throwable cause) {
        return new StartupException("cannot listen on " + config.get(BIND) + ":" + config.get(key) + " (" + key.name()
                + "): " + reason(cause) + "; stop what uses it or choose another port with --" + key.name() + "=PORT", cause);
    }

    private static InetAddress address(CourierConfig config) {
        try {
            return InetAddress.getByName(config.get(BIND));
        } catch (IOException e) {
            throw new StartupException("cannot resolve the bind address " + config.get(BIND) + " (bind): " + e.getMessage(), e);
        }
    }

    private static String reason(Throwable cause) {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.contains("in use") ? "the address is already in use" : message;
    }
}
