package io.courier.bench;

import io.courier.client.CourierClient;
import io.courier.client.http.Session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * A user who was offline while {@code messages} arrived (from {@code senders} friends) logs in: how
 * long until every message is in the client's hands, in order, once — the login backlog plus the
 * pulls the SDK makes after its sync. Each round uses new users.
 */
final class SyncScenario {
    record Options(int messages, int senders, int rounds) {
    }

    private final RunContext ctx;
    private final Options o;

    SyncScenario(RunContext ctx, Options options) {
        if (options.messages() % options.senders() != 0) {
            throw new IllegalArgumentException("--messages must be a multiple of --senders");
        }
        this.ctx = ctx;
        this.o = options;
    }

    Result run() throws InterruptedException {
        Result result = new Result("sync");
        result.parameters.put("messages", o.messages());
        result.parameters.put("senders", o.senders());
        result.parameters.put("rounds", o.rounds());
        List<Long> roundsMs = new ArrayList<>();
        List<Long> loginsMs = new ArrayList<>();
        for (int round = 0; round < o.rounds(); round++) {
            ctx.log().printf("  round %d of %d%n", round + 1, o.rounds());
            long[] times = round(round, result);
            loginsMs.add(times[0] / 1_000_000);
            roundsMs.add(times[1] / 1_000_000);
        }
        result.metrics.put("login_ms", loginsMs);
        result.metrics.put("all_delivered_ms", roundsMs);
        result.metrics.put("all_delivered_median_ms", roundsMs.stream().sorted().toList().get(roundsMs.size() / 2));
        result.metrics.put("delivered_per_s_median", Math.round(o.messages() * 1000.0
                / Math.max(1, (Long) result.metrics.get("all_delivered_median_ms"))));
        return result;
    }

    /** One round: returns {nanos until logged in, nanos until the last message arrived}. */
    private long[] round(int round, Result result) throws InterruptedException {
        int users = o.senders() + 1;
        List<Session> sessions = Population.create(ctx.http(), ctx.runId() + "r" + round, "s", users, 16,
                new Progress(ctx.log(), "users", users));
        Session reader = sessions.getFirst();
        Ledger ledger = new Ledger(o.senders());
        int each = o.messages() / o.senders();
        try (Clients senders = Clients.connect(ctx.target(), ctx.resources(), sessions.subList(1, users),
                i -> new io.courier.client.ClientListener() { }, 64, ctx.log())) {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int s = 0; s < o.senders(); s++) {
                done.add(sendAll(Stream.toUser(s, senders.get(s), reader.userId()), each, ledger));
            }
            done.forEach(CompletableFuture::join);
        }
        if (ledger.sendErrors() > 0) {
            result.faults.add("round " + round + ": " + ledger.sendErrors() + " sends failed");
        }
        Receiver receiver = new Receiver(ledger, null);
        long start = System.nanoTime();
        try (CourierClient client = ctx.target().client(ctx.resources(), reader, receiver)) {
            client.connect().join();
            long loggedIn = System.nanoTime() - start;
            boolean all = Drain.await(() -> ledger.delivered() + ledger.gaps() >= o.messages(), Duration.ofSeconds(120));
            long allIn = System.nanoTime() - start;
            Thread.sleep(200); // anything arriving after the last expected message is a duplicate
            if (!all) {
                result.faults.add("round " + round + ": only " + ledger.delivered() + " of " + o.messages() + " arrived");
            }
            result.check(ledger, o.messages());
            for (int s = 0; s < o.senders(); s++) {
                if (receiver.receivedOf(s) != each) {
                    result.faults.add("round " + round + ", sender " + s + ": " + receiver.receivedOf(s) + " of " + each + " arrived");
                }
            }
            return new long[]{loggedIn, allIn};
        }
    }

    /** Sends {@code count} messages on a stream, 64 in flight at a time; completes when all are acknowledged. */
    private static CompletableFuture<Void> sendAll(Stream stream, int count, Ledger ledger) {
        Semaphore inFlight = new Semaphore(64);
        List<CompletableFuture<?>> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            inFlight.acquireUninterruptibly();
            all.add(stream.send(ledger, System.nanoTime()).whenComplete((ack, e) -> {
                inFlight.release();
                if (e == null) {
                    ledger.acked(stream.id);
                } else {
                    ledger.sendError();
                }
            }));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }
}
