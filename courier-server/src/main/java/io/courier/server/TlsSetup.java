package io.courier.server;

import io.courier.gateway.net.SelfSignedCertificate;
import io.courier.gateway.net.Tls;
import io.courier.server.config.CourierConfig;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

import static io.courier.server.config.ConfigKeys.TLS_CERT;
import static io.courier.server.config.ConfigKeys.TLS_ENABLED;
import static io.courier.server.config.ConfigKeys.TLS_KEY;
import static io.courier.server.config.ConfigKeys.TLS_KEYSTORE;
import static io.courier.server.config.ConfigKeys.TLS_KEYSTORE_PASSWORD;
import static io.courier.server.config.ConfigKeys.TLS_MPIM;
import static io.courier.server.config.ConfigKeys.TLS_RELOAD_INTERVAL;
import static io.courier.server.config.ConfigKeys.TLS_SELF_SIGNED;

/** The tls.* settings made into the node's {@link Tls}, or a one-line start-up failure that names the settings. */
final class TlsSetup {
    private static final Logger log = LoggerFactory.getLogger(TlsSetup.class);

    private TlsSetup() {
    }

    /** Null when TLS is off. */
    static Tls start(CourierConfig config, Path dataDir) {
        Tls.Source source = source(config, dataDir);
        if (source == null) {
            return null;
        }
        try {
            Tls tls = Tls.start(source, config.get(TLS_RELOAD_INTERVAL));
            log.info("TLS on the HTTP and native TCP ports{} with the certificate in {}{}", config.get(TLS_MPIM) ? " and the MPIM port" : "",
                    source.files(), config.get(TLS_SELF_SIGNED) ? " (self-signed for localhost: clients trust " + source.cert() + ")" : "");
            return tls;
        } catch (RuntimeException e) {
            throw new StartupException(e.getMessage() + " (tls.cert and tls.key, or tls.keystore and tls.keystore-password)", e);
        }
    }

    private static Tls.Source source(CourierConfig config, Path dataDir) {
        if (config.get(TLS_SELF_SIGNED)) {
            return SelfSignedCertificate.in(dataDir.resolve("tls"));
        }
        if (!config.get(TLS_ENABLED)) {
            return null;
        }
        boolean pem = !config.get(TLS_CERT).isEmpty() || !config.get(TLS_KEY).isEmpty();
        boolean keystore = !config.get(TLS_KEYSTORE).isEmpty();
        if (pem == keystore) {
            throw new StartupException("tls.enabled needs a certificate: tls.cert and tls.key (PEM), or tls.keystore (PKCS#12), not both"
                    + " (or tls.self-signed for a try on one machine)");
        }
        if (keystore) {
            return Tls.Source.keystore(Path.of(config.get(TLS_KEYSTORE)), config.get(TLS_KEYSTORE_PASSWORD));
        }
        if (config.get(TLS_CERT).isEmpty() || config.get(TLS_KEY).isEmpty()) {
            throw new StartupException("tls.cert and tls.key go together: both PEM files are needed");
        }
        return Tls.Source.pem(Path.of(config.get(TLS_CERT)), Path.of(config.get(TLS_KEY)));
    }
}
