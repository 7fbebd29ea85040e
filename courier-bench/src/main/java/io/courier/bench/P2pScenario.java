package io.courier.bench;

import io.courier.client.CourierClient;
import io.courier.client.http.Session;
import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.SendMessage;
import io.courier.protocol.v1.Text;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Pairs of users writing to each other. Closed loop ({@code rate = 0}): each direction keeps
 * {@code window} messages in flight and sends the next when one is acknowledged — the most the
 * server can take. Open loop: messages leave at a fixed total rate whatever happens, and latency is
 * measured from when each message was due, so a stall is counted against every message it delayed
 * (no coordinated omission).
 */
final class P2pScenario {
    record Options(int pairs, int window, int rate, Duration warmup, Duration duration) {
    }

    /** One direction of a pair: its own numbering, so the recipient can check order. */
    private static final class Stream {
        final int id;
        final CourierClient from;
        final long to;
        long next;

        Stream(int id, CourierClient from, long to) {
            this.id = id;
            this.from = from;
            this.to = to;
        }
    }

    private final RunContext ctx;
    private final Options o;
    private final Ledger ledger;
    private final Latencies latencies;
    private volatile boolean sending = true;

    P2pScenario(RunContext ctx, Options options, Latencies latencies) {
        this.ctx = ctx;
        this.o = options;
        this.ledger = new Ledger(options.pairs() * 2);
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
        List<Session> sessions = Population.create(ctx.http(), ctx.runId(), "p", users, 16,
                new Progress(ctx.log(), "users", users));
        Receiver[] receivers = new Receiver[users];
        try (Clients clients = Clients.connect(ctx.target(), ctx.resources(), sessions,
                i -> receivers[i] = new Receiver(ledger, latencies), 64, ctx.log())) {
            Stream[] streams = new Stream[users];
            for (int i = 0; i < users; i++) {
                streams[i] = new Stream(i, clients.get(i), sessions.get(i ^ 1).userId());
            }
            Sampler sampler = Sampler.start(latencies, ctx.log());
            if (o.rate() == 0) {
                for (Stream s : streams) {
                    for (int w = 0; w < o.window(); w++) {
                        sendClosedLoop(s);
                    }
                }
                Thread.sleep(o.warmup().toMillis());
                sampler.measureFromNow();
                Thread.sleep(o.duration().toMillis());
            } else {
                openLoop(streams, sampler);
            }
            sending = false;
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
            sampler.summarize(result, latencies, o.duration());
        }
        return result;
    }

    private void sendClosedLoop(Stream s) {
        if (!sending) {
            return;
        }
        long sentAt = System.nanoTime();
        send(s, sentAt).whenComplete((ack, e) -> {
            if (e == null) {
                latencies.ack(System.nanoTime() - sentAt);
                ledger.acked(s.id);
                sendClosedLoop(s);
            } else {
                ledger.sendError();
            }
        });
    }

    private void openLoop(Stream[] streams, Sampler sampler) {
        long interval = 1_000_000_000L / o.rate();
        long start = System.nanoTime();
        long warmupEnd = start + o.warmup().toNanos();
        long end = warmupEnd + o.duration().toNanos();
        boolean measuring = false;
        AtomicLong k = new AtomicLong();
        for (long due = start; due < end; due = start + k.incrementAndGet() * interval) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!measuring && due >= warmupEnd) {
                sampler.measureFromNow();
                measuring = true;
            }
            Stream s = streams[(int) (k.get() % streams.length)];
            long dueAt = due;
            send(s, dueAt).whenComplete((ack, e) -> {
                if (e == null) {
                    latencies.ack(System.nanoTime() - dueAt);
                    ledger.acked(s.id);
                } else {
                    ledger.sendError();
                }
            });
        }
    }

    /** Numbers and hands over one message; one stream's sends reach the client in number order. */
    private java.util.concurrent.CompletableFuture<io.courier.protocol.v1.SendAck> send(Stream s, long stampNanos) {
        synchronized (s) {
            long n = s.next++;
            ledger.recordSent();
            return s.from.send(SendMessage.newBuilder().setToUserId(s.to).setClientMsgId(s.id + "-" + n)
                    .setContent(Content.newBuilder().setText(Text.newBuilder().setText(Receiver.body(s.id, n, stampNanos))))
                    .build());
        }
    }
}
