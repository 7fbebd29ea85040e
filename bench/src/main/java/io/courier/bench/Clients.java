package io.courier.bench;

import io.courier.client.ClientListener;
import io.courier.client.ClientResources;
import io.courier.client.CourierClient;
import io.courier.client.http.Session;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;

/** Opens one SDK client per session, a bounded number of logins at a time, and closes them all. */
final class Clients implements AutoCloseable {
    private final List<CourierClient> all = new ArrayList<>();

    static Clients connect(Target target, ClientResources resources, List<Session> sessions,
                           IntFunction<ClientListener> listeners, int parallel, PrintStream log) {
        Clients clients = new Clients();
        Progress progress = new Progress(log, "connected", sessions.size());
        Semaphore slots = new Semaphore(parallel);
        List<CompletableFuture<?>> logins = new ArrayList<>();
        for (int i = 0; i < sessions.size(); i++) {
            CourierClient c = target.client(resources, sessions.get(i), listeners.apply(i));
            clients.all.add(c);
            slots.acquireUninterruptibly();
            logins.add(c.connect().whenComplete((ok, e) -> {
                slots.release();
                progress.tick();
            }));
        }
        logins.forEach(CompletableFuture::join);
        return clients;
    }

    CourierClient get(int i) {
        return all.get(i);
    }

    int size() {
        return all.size();
    }

    long connected() {
        return all.stream().filter(CourierClient::isConnected).count();
    }

    @Override
    public void close() {
        all.parallelStream().forEach(CourierClient::close);
    }
}
