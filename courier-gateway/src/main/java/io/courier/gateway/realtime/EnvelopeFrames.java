package io.courier.gateway.realtime;

import com.google.protobuf.InvalidProtocolBufferException;
import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.protocol.v1.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/** Reads one protobuf Envelope from a native frame or a WebSocket binary frame. */
public final class EnvelopeFrames {
    private EnvelopeFrames() {
    }

    /**
     * Parses the frame (releasing nothing: the caller owns the buffer). A frame that is not an
     * Envelope is the client's mistake; one with no operation this server knows is answered by
     * {@link RealtimeHandler}, which can echo its request id.
     */
    public static Envelope parse(ByteBuf frame) {
        try {
            // Straight from the frame's memory: a stream reader would allocate a 4 KiB buffer per
            // frame (JMH: about 4x slower, docs/microbenchmarks.md).
            return frame.nioBufferCount() == 1
                    ? Envelope.parseFrom(frame.nioBuffer())
                    : Envelope.parseFrom(ByteBufUtil.getBytes(frame));
        } catch (InvalidProtocolBufferException e) {
            throw CourierException.of(ErrorCode.BAD_REQUEST, "The frame is not a valid Envelope: " + e.getMessage());
        }
    }
}
