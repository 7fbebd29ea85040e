package io.courier.bench;

import io.courier.client.http.Session;
import io.courier.protocol.v1.GroupInfo;
import io.courier.protocol.v1.JoinPolicy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages into groups whose members are all online: every message is delivered to every other
 * member, so deliveries per second is messages per second times (members - 1). End-to-end latency
 * here is the fan-out latency: from the send to each member's receipt.
 */
final class GroupScenario {
    record Options(int groups, int members, int senders, int window, int rate, Duration warmup, Duration duration) {
    }

    private final RunContext ctx;
    private final Options o;
    private final Latencies latencies;

    GroupScenario(RunContext ctx, Options options, Latencies latencies) {
        if (options.senders() > options.members()) {
            throw new IllegalArgumentException("--senders cannot exceed --members");
        }
        this.ctx = ctx;
        this.o = options;
        this.latencies = latencies;
    }

    Result run() throws InterruptedException {
        Result result = new Result("group");
        result.parameters.put("groups", o.groups());
        result.parameters.put("members", o.members());
        result.parameters.put("senders_per_group", o.senders());
        result.parameters.put("mode", o.rate() == 0 ? "closed loop" : "open loop");
        result.parameters.put(o.rate() == 0 ? "window" : "rate", o.rate() == 0 ? o.window() : o.rate());
        result.parameters.put("warmup_s", o.warmup().toSeconds());
        result.parameters.put("duration_s", o.duration().toSeconds());

        int users = o.groups() * o.members();
        Ledger ledger = new Ledger(o.groups() * o.senders());
        List<Session> sessions = Population.create(ctx.http(), ctx.runId(), "g", users, 16,
                new Progress(ctx.log(), "users", users));
        Receiver[] receivers = new Receiver[users];
        try (Clients clients = Clients.connect(ctx.target(), ctx.resources(), sessions,
                i -> receivers[i] = new Receiver(ledger, latencies), 64, ctx.log())) {
            // Group g holds users g*members .. (g+1)*members-1; its first `senders` members write to it.
            List<Stream> streams = new ArrayList<>();
            for (int g = 0; g < o.groups(); g++) {
                int first = g * o.members();
                List<Long> others = sessions.subList(first + 1, first + o.members()).stream().map(Session::userId).toList();
                GroupInfo group = clients.get(first).groups().create("bench " + ctx.runId() + " " + g, "", JoinPolicy.OPEN, others).join();
                for (int s = 0; s < o.senders(); s++) {
                    streams.add(Stream.toGroup(g * o.senders() + s, clients.get(first + s), group.getGroupId()));
                }
            }
            Sampler sampler = Sampler.start(latencies, ctx.log());
            new Load(ledger, latencies).run(streams, o.window(), o.rate(), o.warmup(), o.duration(), sampler);
            latencies.stop();
            sampler.stop();
            Drain.await(() -> ledger.acked() + ledger.sendErrors() >= ledger.sent()
                    && ledger.delivered() + ledger.gaps() >= ledger.acked() * (o.members() - 1), Duration.ofSeconds(60));
            result.check(ledger, ledger.acked() * (o.members() - 1));
            for (int u = 0; u < users; u++) {
                int g = u / o.members();
                for (int s = 0; s < o.senders(); s++) {
                    int stream = g * o.senders() + s;
                    boolean own = u == g * o.members() + s;
                    long expected = own ? 0 : ledger.ackedOf(stream);
                    long got = receivers[u].receivedOf(stream);
                    if (got != expected) {
                        result.faults.add("member " + u + ", stream " + stream + ": " + expected + " expected, " + got + " received");
                    }
                }
            }
            sampler.summarize(result, latencies);
            result.metrics.put("messages_per_s", result.metrics.get("acked_per_s"));
            result.metrics.put("deliveries_per_s", result.metrics.get("delivered_per_s"));
        }
        if (result.faults.size() > 20) {
            int more = result.faults.size() - 20;
            result.faults.subList(20, result.faults.size()).clear();
            result.faults.add("... and " + more + " more");
        }
        return result;
    }
}
