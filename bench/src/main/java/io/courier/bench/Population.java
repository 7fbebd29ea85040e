package io.courier.bench;

import io.courier.client.http.CourierHttp;
import io.courier.client.http.Session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Creates the users of a run: each registered and logged in over HTTP, a bounded number at a time
 * (password hashing is the server's most expensive operation, and not what a run measures).
 * Names carry the run id so that runs against one server never collide.
 */
final class Population {
    private static final String PASSWORD = "bench-secret-1";

    private Population() {
    }

    static List<Session> create(CourierHttp http, String runId, String role, int count, int parallel, Progress progress) {
        Semaphore slots = new Semaphore(parallel);
        List<CompletableFuture<Session>> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = "b" + runId + role + i;
            slots.acquireUninterruptibly();
            all.add(http.register(name, PASSWORD, null)
                    .thenCompose(u -> http.login(name, PASSWORD, "bench"))
                    .whenComplete((s, e) -> {
                        slots.release();
                        progress.tick();
                    }));
        }
        return all.stream().map(CompletableFuture::join).toList();
    }
}
