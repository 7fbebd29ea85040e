package io.courier.microbench;

import io.courier.gateway.http.Json;
import io.courier.gateway.ws.JsonFrames;
import io.courier.microbench.Samples.Payload;
import io.courier.protocol.v1.Envelope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * The WebSocket text protocol: Envelope to JSON text for pushes, JSON text to Envelope for a client's
 * send. JsonFrames is built as CourierNode builds it, on the API's one ObjectMapper.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JsonFramesBench {

    @State(Scope.Thread)
    public static class Pushes {
        @Param({"DIRECT", "GROUP", "SYNC"})
        public Payload payload;

        JsonFrames frames;
        Envelope push;

        @Setup
        public void setUp() {
            frames = new JsonFrames(Json.mapper());
            push = Samples.push(payload);
        }
    }

    @State(Scope.Thread)
    public static class Sends {
        @Param({"DIRECT", "GROUP"})
        public Payload payload;

        JsonFrames frames;
        String text;

        @Setup
        public void setUp() {
            frames = new JsonFrames(Json.mapper());
            // JsonFrames renders a client body the way a client sends it, so this is a real client frame.
            text = frames.encode(Samples.send(payload));
        }
    }

    @Benchmark
    public String encodePush(Pushes s) {
        return s.frames.encode(s.push);
    }

    @Benchmark
    public Envelope decodeSend(Sends s) {
        return s.frames.decode(s.text);
    }
}
