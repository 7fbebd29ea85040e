package io.courier.gateway.net;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The server's TLS: one certificate for every listener that has TLS on, from PEM files (a chain
 * and its PKCS#8 or PKCS#1 key) or a PKCS#12 keystore, TLS 1.3 and 1.2 only. The files are looked
 * at again every reload interval: a renewed certificate is used by the connections that open after
 * it, without a restart; one that cannot be read is logged and the previous one stays.
 */
public final class Tls implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Tls.class);
    /** Modern protocol versions only: TLS 1.0 and 1.1 are refused in the handshake. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /** Where the certificate comes from: PEM files, or a keystore (then {@code cert} and {@code key} are null). */
    public record Source(Path cert, Path key, Path keystore, char[] keystorePassword) {
        public static Source pem(Path cert, Path key) {
            return new Source(Objects.requireNonNull(cert), Objects.requireNonNull(key), null, null);
        }

        public static Source keystore(Path keystore, String password) {
            return new Source(null, null, Objects.requireNonNull(keystore), password.toCharArray());
        }

        public List<Path> files() {
            return keystore != null ? List.of(keystore) : List.of(cert, key);
        }
    }

    private final Source source;
    private final ScheduledExecutorService reloads = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "courier-tls-reload");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<SslContext> current = new AtomicReference<>();
    private volatile List<Long> stamps;

    private Tls(Source source) {
        this.source = source;
    }

    /** Reads the certificate (failing with a message that names the file) and looks at it again every {@code reload}. */
    public static Tls start(Source source, Duration reload) {
        List<Long> stamps = stamps(source);
        SslContext first = build(source);
        Tls tls = new Tls(source);
        tls.stamps = stamps;
        tls.current.set(first);
        long every = Math.max(1, reload.toMillis());
        tls.reloads.scheduleWithFixedDelay(tls::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
        return tls;
    }

    /** Stops looking at the files. */
    @Override
    public void close() {
        reloads.shutdownNow();
    }

    /** The handler that makes a new connection TLS, first in its pipeline. */
    public SslHandler handler(Channel channel) {
        return current.get().newHandler(channel.alloc());
    }

    /** Reads the files again when one of them changed (time or size). */
    void reloadIfChanged() {
        List<Long> now = stamps(source);
        if (now.equals(stamps)) {
            return;
        }
        try {
            current.set(build(source));
            stamps = now;
            log.info("TLS certificate reloaded from {}", source.files());
        } catch (RuntimeException e) {
            // a renewal caught half-written, or a broken file: keep serving with the certificate that works
            log.warn("TLS certificate in {} not reloaded, the previous one stays: {}", source.files(), e.getMessage());
        }
    }

    private static List<Long> stamps(Source source) {
        List<Long> out = new ArrayList<>();
        for (Path f : source.files()) {
            try {
                out.add(Files.getLastModifiedTime(f).toMillis());
                out.add(Files.size(f));
            } catch (IOException e) {
                out.add(-1L);
            }
        }
        return out;
    }

    private static SslContext build(Source source) {
        try {
            SslContextBuilder builder;
            if (source.keystore() != null) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(source.keystore())) {
                    store.load(in, source.keystorePassword());
                }
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, source.keystorePassword());
                builder = SslContextBuilder.forServer(keys);
            } else {
                builder = SslContextBuilder.forServer(source.cert().toFile(), source.key().toFile());
            }
            return builder.protocols(PROTOCOLS).build();
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("TLS: cannot use the certificate in " + source.files() + ": " + e.getMessage(), e);
        }
    }
}
