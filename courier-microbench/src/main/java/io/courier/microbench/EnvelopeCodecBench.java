package io.courier.microbench;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.courier.gateway.realtime.EnvelopeFrames;
import io.courier.microbench.Samples.Payload;
import io.courier.gateway.tcp.FramedEnvelopeEncoder;
import io.courier.protocol.v1.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * The native protocol's codec: protobuf Envelopes in 4-byte length-prefixed frames (TCP) or bare
 * (WebSocket binary). Encoding is measured on pushes, what the server writes most; decoding on sends,
 * what it reads most.
 *
 * <p>Each side has the code as wired ({@code ...AsWired}) and a cheaper way to reach the same bytes,
 * so that a difference between the two is a measured reason to change the gateway, not a guess.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EnvelopeCodecBench {

    /** A push to encode, and the two handlers TcpServer puts in front of every connection. */
    @State(Scope.Thread)
    public static class Outbound {
        @Param({"DIRECT", "GROUP", "SYNC"})
        public Payload payload;

        Envelope push;
        EmbeddedChannel encoders;
        EmbeddedChannel wired;

        @Setup
        public void setUp() {
            push = Samples.push(payload);
            // What TcpServer used before FramedEnvelopeEncoder: prefix and protobuf encoders (outbound runs last to first)
            encoders = new EmbeddedChannel(new LengthFieldPrepender(4), new ProtobufEncoder());
            wired = new EmbeddedChannel(new FramedEnvelopeEncoder());
        }

        @TearDown
        public void tearDown() {
            encoders.finishAndReleaseAll();
            wired.finishAndReleaseAll();
        }
    }

    /** The pipeline alone: a channel without encoders, and a frame that is already bytes. */
    @State(Scope.Thread)
    public static class BarePipeline {
        EmbeddedChannel channel;
        ByteBuf frame;

        @Setup
        public void setUp() {
            channel = new EmbeddedChannel();
            byte[] bytes = Samples.push(Payload.DIRECT).toByteArray();
            frame = ByteBufAllocator.DEFAULT.directBuffer(4 + bytes.length).writeInt(bytes.length).writeBytes(bytes);
        }

        @TearDown
        public void tearDown() {
            channel.finishAndReleaseAll();
            frame.release();
        }
    }

    /** A client's send as it arrives: its bytes, and the frame the length decoder hands the session. */
    @State(Scope.Thread)
    public static class Inbound {
        @Param({"DIRECT", "GROUP"})
        public Payload payload;

        byte[] bytes;
        ByteBuf frame;

        @Setup
        public void setUp() {
            bytes = Samples.send(payload).toByteArray();
            // A socket reads into a direct buffer from the channel's allocator; the frame is a slice of it.
            frame = ByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
        }

        @TearDown
        public void tearDown() {
            frame.release();
        }
    }

    /** What WebSocket binary frames carry, and what ProtobufEncoder starts with. */
    /**
     * The baseline of {@link #encodeFramedAsWired}: what writing a ready frame through an EmbeddedChannel
     * costs, so the difference between the two is the encoders' own cost.
     */
    @Benchmark
    public int pipelineOnlyBaseline(BarePipeline s) {
        s.channel.writeOutbound(s.frame.retainedDuplicate());
        int written = 0;
        for (ByteBuf part; (part = s.channel.readOutbound()) != null; ) {
            written += part.readableBytes();
            part.release();
        }
        return written;
    }

    @Benchmark
    public byte[] encodeToBytes(Outbound s) {
        return s.push.toByteArray();
    }

    /** The TCP write path as wired: FramedEnvelopeEncoder, one pooled buffer per frame, through a pipeline. */
    @Benchmark
    public int encodeFramedAsWired(Outbound s) {
        return drain(s.wired, s.push);
    }

    /**
     * The write path before: ProtobufEncoder (a byte[] wrapped in a ByteBuf) and LengthFieldPrepender
     * (a second, 4-byte buffer for the prefix), run through a channel pipeline.
     */
    @Benchmark
    public int encodeFramedNettyEncoders(Outbound s) {
        return drain(s.encoders, s.push);
    }

    private static int drain(EmbeddedChannel channel, Envelope push) {
        channel.writeOutbound(push);
        int written = 0;
        for (ByteBuf part; (part = channel.readOutbound()) != null; ) {
            written += part.readableBytes();
            part.release();
        }
        return written;
    }

    /**
     * The same frame written straight into one pooled direct buffer: prefix, then the Envelope
     * serialized in place, no intermediate array and no pipeline.
     */
    @Benchmark
    public int encodeFramedIntoPooledBuffer(Outbound s) {
        int size = s.push.getSerializedSize();
        ByteBuf frame = ByteBufAllocator.DEFAULT.directBuffer(4 + size);
        try {
            frame.writeInt(size);
            CodedOutputStream out = CodedOutputStream.newInstance(frame.nioBuffer(frame.writerIndex(), size));
            s.push.writeTo(out);
            out.checkNoSpaceLeft();
            frame.writerIndex(frame.writerIndex() + size);
            return frame.readableBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            frame.release();
        }
    }

    @Benchmark
    public Envelope decodeFromBytes(Inbound s) throws InvalidProtocolBufferException {
        return Envelope.parseFrom(s.bytes);
    }

    /** The read path as wired: EnvelopeFrames.parse, through a ByteBufInputStream. */
    @Benchmark
    public Envelope decodeFrameAsWired(Inbound s) {
        return EnvelopeFrames.parse(s.frame);
    }

    /** The same frame parsed from a view of its memory, as protobuf reads a ByteBuffer. */
    @Benchmark
    public Envelope decodeFrameFromNioBuffer(Inbound s) throws InvalidProtocolBufferException {
        return Envelope.parseFrom(s.frame.nioBuffer());
    }
}
