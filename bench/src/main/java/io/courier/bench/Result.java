package io.courier.bench;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a scenario measured: its parameters, its numbers, and its faults. Any fault (a lost,
 * duplicated or reordered message, a failed send, a dropped connection) fails the run.
 */
final class Result {
    final String scenario;
    final String passMessage;
    final Map<String, Object> parameters = new LinkedHashMap<>();
    final Map<String, Object> metrics = new LinkedHashMap<>();
    final List<String> faults = new ArrayList<>();
    Histogram endToEnd;
    Histogram ack;
    List<long[]> timeline = List.of();

    Result(String scenario) {
        this(scenario, "every message was delivered once, in order");
    }

    Result(String scenario, String passMessage) {
        this.scenario = scenario;
        this.passMessage = passMessage;
    }

    boolean passed() {
        return faults.isEmpty();
    }

    /** Checks a ledger after the run has drained: every acknowledged message delivered once, in order. */
    void check(Ledger ledger, long expectedDeliveries) {
        metrics.put("sent", ledger.sent());
        metrics.put("acked", ledger.acked());
        metrics.put("delivered", ledger.delivered());
        metrics.put("expected_deliveries", expectedDeliveries);
        if (ledger.sendErrors() > 0) {
            faults.add(ledger.sendErrors() + " sends failed");
        }
        if (ledger.acked() != ledger.sent()) {
            faults.add((ledger.sent() - ledger.acked()) + " sends were never acknowledged");
        }
        if (ledger.duplicates() > 0) {
            faults.add(ledger.duplicates() + " messages were delivered twice or out of order");
        }
        if (ledger.gaps() > 0) {
            faults.add(ledger.gaps() + " messages were skipped in a stream");
        }
        if (ledger.foreign() > 0) {
            faults.add(ledger.foreign() + " messages were not the run's own");
        }
        if (ledger.delivered() != expectedDeliveries) {
            faults.add("delivered " + ledger.delivered() + " but expected " + expectedDeliveries);
        }
    }
}
