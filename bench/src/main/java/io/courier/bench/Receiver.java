package io.courier.bench;

import io.courier.client.ClientListener;
import io.courier.protocol.v1.Message;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One receiving client's check of what reaches it. Bench messages say {@code "<stream> <n> <nanos>"}:
 * the sending stream, its running number, and the (intended) send time. Each stream must arrive
 * complete and in order, once: a number below the next expected one is a duplicate, above it a gap.
 * Written by one client's listener only; read by the final check.
 */
final class Receiver implements ClientListener {
    private final Ledger ledger;
    private final Latencies latencies;
    private final Map<Integer, Long> next = new ConcurrentHashMap<>(); // read by the final check

    /** {@code latencies} may be null when end-to-end latency means nothing (messages sent long before). */
    Receiver(Ledger ledger, Latencies latencies) {
        this.ledger = ledger;
        this.latencies = latencies;
    }

    static String body(int stream, long n, long sentNanos) {
        return stream + " " + n + " " + sentNanos;
    }

    @Override
    public void onMessage(Message message) {
        if (!message.getContent().hasText()) {
            return; // group events and the like
        }
        String text = message.getContent().getText().getText();
        int a = text.indexOf(' ');
        int b = text.indexOf(' ', a + 1);
        if (a < 0 || b < 0) {
            ledger.recordForeign();
            return;
        }
        int stream = Integer.parseInt(text, 0, a, 10);
        long n = Long.parseLong(text, a + 1, b, 10);
        long sent = Long.parseLong(text, b + 1, text.length(), 10);
        long expected = next.getOrDefault(stream, 0L);
        if (n < expected) {
            ledger.duplicate();
            return;
        }
        if (n > expected) {
            ledger.gap(n - expected);
        }
        next.put(stream, n + 1);
        ledger.delivered(stream);
        if (latencies != null) {
            latencies.endToEnd(System.nanoTime() - sent);
        }
    }

    /** How many messages of a stream arrived (the highest number + 1: gaps are counted as they happen). */
    long receivedOf(int stream) {
        return next.getOrDefault(stream, 0L);
    }
}
