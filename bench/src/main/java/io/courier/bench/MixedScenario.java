package io.courier.bench;

import io.courier.client.http.Session;
import io.courier.protocol.v1.GroupInfo;
import io.courier.protocol.v1.JoinPolicy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A blend: 1:1 chats between pairs and a few groups, sent in open loop at a fixed rate, while
 * clients keep dropping their connections and coming back (churn). Every message must still reach
 * every recipient once, in order — across the reconnects, through resends, backlogs and syncs.
 */
final class MixedScenario {
    record Options(int users, int groups, int groupSize, int groupSenders, int rate, double churnPerSecond,
                   Duration warmup, Duration duration) {
    }

    private final RunContext ctx;
    private final Options o;
    private final Latencies latencies;

    MixedScenario(RunContext ctx, Options options, Latencies latencies) {
        if (options.users() % 2 != 0 || options.groups() * options.groupSize() > options.users()
                || options.groupSenders() > options.groupSize()) {
            throw new IllegalArgumentException("--users must be even and hold every group; --group-senders <= --group-size");
        }
        this.ctx = ctx;
        this.o = options;
        this.latencies = latencies;
    }

    Result run() throws InterruptedException {
        Result result = new Result("mixed");
        result.parameters.put("users", o.users());
        result.parameters.put("groups", o.groups());
        result.parameters.put("group_size", o.groupSize());
        result.parameters.put("group_senders", o.groupSenders());
        result.parameters.put("rate", o.rate());
        result.parameters.put("reconnects_per_s", o.churnPerSecond());
        result.parameters.put("warmup_s", o.warmup().toSeconds());
        result.parameters.put("duration_s", o.duration().toSeconds());

        int groupStreams = o.groups() * o.groupSenders();
        Ledger ledger = new Ledger(o.users() + groupStreams);
        List<Session> sessions = Population.create(ctx.http(), ctx.runId(), "m", o.users(), 16,
                new Progress(ctx.log(), "users", o.users()));
        Receiver[] receivers = new Receiver[o.users()];
        try (Clients clients = Clients.connect(ctx.target(), ctx.resources(), sessions,
                i -> receivers[i] = new Receiver(ledger, latencies), 64, ctx.log())) {
            List<Stream> streams = new ArrayList<>();
            for (int i = 0; i < o.users(); i++) {
                streams.add(Stream.toUser(i, clients.get(i), sessions.get(i ^ 1).userId()));
            }
            for (int g = 0; g < o.groups(); g++) {
                int first = g * o.groupSize();
                List<Long> others = sessions.subList(first + 1, first + o.groupSize()).stream().map(Session::userId).toList();
                GroupInfo group = clients.get(first).groups().create("mixed " + ctx.runId() + " " + g, "", JoinPolicy.OPEN, others).join();
                for (int s = 0; s < o.groupSenders(); s++) {
                    streams.add(Stream.toGroup(o.users() + g * o.groupSenders() + s, clients.get(first + s), group.getGroupId()));
                }
            }

            AtomicBoolean churning = new AtomicBoolean(true);
            LongAdder reconnects = new LongAdder();
            Thread churn = Thread.ofPlatform().daemon().name("bench-churn").start(() -> {
                long pause = (long) (1000 / Math.max(0.001, o.churnPerSecond()));
                while (churning.get() && o.churnPerSecond() > 0) {
                    try {
                        Thread.sleep(pause);
                    } catch (InterruptedException e) {
                        return;
                    }
                    clients.get(ThreadLocalRandom.current().nextInt(clients.size())).reconnect();
                    reconnects.increment();
                }
            });
            Sampler sampler = Sampler.start(latencies, ctx.log());
            new Load(ledger, latencies).run(streams, 0, o.rate(), o.warmup(), o.duration(), sampler);
            churning.set(false);
            churn.interrupt();
            churn.join();
            latencies.stop();
            sampler.stop();

            // Expected deliveries are recounted while draining: resends after a reconnect may still be acked.
            Drain.await(() -> ledger.acked() + ledger.sendErrors() >= ledger.sent()
                    && ledger.delivered() + ledger.gaps() >= expected(ledger), Duration.ofSeconds(60));
            result.check(ledger, expected(ledger));
            checkStreams(result, ledger, receivers);
            sampler.summarize(result, latencies);
            result.metrics.put("reconnects", reconnects.sum());
        }
        return result;
    }

    /** Each 1:1 message once, each group message to every member but its sender. */
    private long expected(Ledger ledger) {
        long total = 0;
        for (int s = 0; s < o.users(); s++) {
            total += ledger.ackedOf(s);
        }
        for (int s = o.users(); s < o.users() + o.groups() * o.groupSenders(); s++) {
            total += ledger.ackedOf(s) * (o.groupSize() - 1);
        }
        return total;
    }

    private void checkStreams(Result result, Ledger ledger, Receiver[] receivers) {
        for (int s = 0; s < o.users(); s++) {
            long got = receivers[s ^ 1].receivedOf(s);
            if (got != ledger.ackedOf(s)) {
                result.faults.add("stream " + s + ": " + ledger.ackedOf(s) + " acknowledged, " + got + " received");
            }
        }
        for (int g = 0; g < o.groups(); g++) {
            for (int k = 0; k < o.groupSenders(); k++) {
                int stream = o.users() + g * o.groupSenders() + k;
                for (int m = 0; m < o.groupSize(); m++) {
                    int member = g * o.groupSize() + m;
                    long expected = m == k ? 0 : ledger.ackedOf(stream);
                    if (receivers[member].receivedOf(stream) != expected) {
                        result.faults.add("member " + member + ", group stream " + stream + ": " + expected + " expected, "
                                + receivers[member].receivedOf(stream) + " received");
                    }
                }
            }
        }
    }
}
