package io.courier.microbench;

import io.courier.gateway.mpim.MpimLineCodec;
import io.courier.gateway.mpim.MpimLineCodec.ParsedSend;
import io.courier.microbench.Samples.Payload;
import io.courier.protocol.v1.Message;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/** The MPIM line protocol: a message pushed as a MSG line, and a received SEND line split into its parts. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MpimLineBench {

    @State(Scope.Thread)
    public static class Pushes {
        @Param({"DIRECT", "GROUP"})
        public Payload payload;

        Message message;

        @Setup
        public void setUp() {
            message = Samples.push(payload).getMessage();
        }
    }

    @State(Scope.Thread)
    public static class Lines {
        /** As LineBasedFrameDecoder and the UTF-8 decoder hand it over: one String, its end of line stripped. */
        String send = "SEND " + Samples.BOB + " " + Samples.DIRECT_TEXT;
    }

    @Benchmark
    public String formatMsgLine(Pushes s) {
        return MpimLineCodec.msgLine(s.message);
    }

    @Benchmark
    public ParsedSend parseSendLine(Lines s) {
        return MpimLineCodec.parseSend(s.send);
    }
}
