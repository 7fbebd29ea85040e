package io.courier.bench;

import io.courier.client.http.Session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Pairs of users writing to each other, in closed or open loop ({@link Load}). */
final class P2pScenario {
    record Options(int pairs, int window, int rate, Duration warmup, Duration duration) {
    }

    private final RunContext ctx;
    private final Options o;
    private final Latencies latencies;

    P2pScenario(RunContext ctx, Options options, Latencies latencies) {
        this.ctx = ctx;
        this.o = options;
        this.latencies = latencies;
    }

    Result run() throws InterruptedException {
        Result result = new Result("p2p");
        result.parameters.put("pairs", o.pairs());
        result.parameters.put("mode", o.rate() == 0 ? "closed loop" : "open loop");
        result.parameters.put(o.rate() == 0 ? "window" : "rate", o.rate() == 0 ? o.window() : o.rate());
        result.parameters.put("warmup_s", o.warmup().toSeconds());
        result.parameters.put("duration_s", o.duration().toSeconds());

        int users = o.pairs() * 2;
        Ledger ledger = new Ledger(users);
        List<Session> sessions = Population.create(ctx.http(), ctx.runId(), "p", users, 16,
                new Progress(ctx.log(), "users", users));
        Receiver[] receivers = new Receiver[users];
        try (Clients clients = Clients.connect(ctx.target(), ctx.resources(), sessions,
                i -> receivers[i] = new Receiver(ledger, latencies), 64, ctx.log())) {
            // Stream i is user i writing to its partner i ^ 1.
            List<Stream> streams = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                streams.add(Stream.toUser(i, clients.get(i), sessions.get(i ^ 1).userId()));
            }
            Sampler sampler = Sampler.start(latencies, ctx.log());
            new Load(ledger, latencies).run(streams, o.window(), o.rate(), o.warmup(), o.duration(), sampler);
            latencies.stop();
            sampler.stop();
            Drain.await(() -> ledger.acked() + ledger.sendErrors() >= ledger.sent()
                    && ledger.delivered() + ledger.gaps() >= ledger.acked(), Duration.ofSeconds(30));
            result.check(ledger, ledger.acked());
            for (Stream s : streams) {
                long got = receivers[s.id ^ 1].receivedOf(s.id);
                if (got != ledger.ackedOf(s.id)) {
                    result.faults.add("stream " + s.id + ": " + ledger.ackedOf(s.id) + " acknowledged, " + got + " received");
                }
            }
            sampler.summarize(result, latencies);
        }
        return result;
    }
}
