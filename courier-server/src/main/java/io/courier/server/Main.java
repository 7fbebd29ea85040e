package io.courier.server;

import io.courier.server.config.ConfigDocs;
import io.courier.server.config.ConfigException;
import io.courier.server.config.ConfigKeys;
import io.courier.server.config.ConfigLoader;
import io.courier.server.config.CourierConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;

/** {@code courier [--config FILE] [--key=value ...]}: starts a single-node server and serves until stopped. */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws java.io.IOException {
        if (args.length > 0 && (args[0].equals("export") || args[0].equals("import"))) {
            try {
                System.exit(DataCommands.run(args[0], Arrays.asList(args).subList(1, args.length), System.getenv()));
            } catch (ConfigException e) {
                System.err.println("courier: configuration error: " + e.getMessage());
                System.exit(2);
            }
            return;
        }
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            printHelp();
            return;
        }
        if (Arrays.asList(args).contains("--config-docs")) {
            System.out.print(ConfigDocs.table());
            return;
        }
        long start = System.nanoTime();
        CourierConfig config;
        CourierNode node;
        try {
            // --tls-self-signed: the short form of --tls.self-signed=true, for a local try of TLS
            config = ConfigLoader.load(Arrays.stream(args).map(a -> a.equals("--tls-self-signed") ? "--tls.self-signed=true" : a)
                    .toList(), System.getenv());
            node = CourierNode.start(config);
        } catch (ConfigException e) {
            System.err.println("courier: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        } catch (StartupException e) {
            System.err.println("courier: " + e.getMessage());
            System.exit(1);
            return;
        } catch (RuntimeException e) {
            log.error("Courier failed to start", e);
            System.exit(1);
            return;
        }
        // SIGTERM (or Ctrl-C): the node's graceful stop, then everything else it holds.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long stopping = System.nanoTime();
            log.info("Courier stopping");
            node.close();
            log.info("Courier stopped in {} ms", (System.nanoTime() - stopping) / 1_000_000);
        }, "courier-shutdown"));
        // Scripts and tests wait for this line; keep its shape.
        log.info("Courier ready in {} ms: node {} http://{}:{} tcp {} mpim {} data {}", (System.nanoTime() - start) / 1_000_000,
                node.nodeId(), config.get(ConfigKeys.BIND), node.httpPort(), node.tcpPort(), node.mpimPort(), node.dataDir());
    }

    private static void printHelp() {
        System.out.println("Usage: courier [--config FILE] [--key=value ...]");
        System.out.println("       courier --config-docs    print the settings table of docs/configuration.md");
        System.out.println("       courier export FILE [--key=value ...]   write the whole database to FILE (a backup; safe beside a running server)");
        System.out.println("       courier import FILE [--key=value ...]   load FILE into an empty database (restore, or move to another database)");
        System.out.println();
        System.out.println("Settings (flag --key=value, environment variable, or YAML file; see docs/configuration.md):");
        for (var key : ConfigKeys.ALL) {
            System.out.printf("  --%-38s %-40s default: %s%n", key.name(), key.envName(),
                    key.defaultValue().isEmpty() ? "(empty)" : key.defaultValue());
        }
    }
}
