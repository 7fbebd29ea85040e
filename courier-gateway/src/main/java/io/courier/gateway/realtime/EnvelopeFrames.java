package io.courier.gateway.realtime;

import com.google.protobuf.InvalidProtocolBufferException;
import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.protocol.v1.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;

import java.io.IOException;

/** Reads one protobuf Envelope from a native frame or a WebSocket binary frame. */
public final class EnvelopeFrames {
    private EnvelopeFrames() {
    }

    /**
     * Parses the frame (releasing nothing: the caller owns the buffer). A frame that is not an
     * Envelope, or one that carries no operation this server knows, is the client's mistake.
     */
    public static Envelope parse(ByteBuf frame) {
        Envelope request;
        try (ByteBufInputStream in = new ByteBufInputStream(frame.duplicate())) {
            request = Envelope.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw CourierException.of(ErrorCode.BAD_REQUEST, "The frame is not a valid Envelope: " + e.getMessage());
        } catch (IOException e) {
            throw CourierException.of(ErrorCode.BAD_REQUEST, "The frame could not be read");
        }
        if (request.getBodyCase() == Envelope.BodyCase.BODY_NOT_SET) {
            throw CourierException.of(ErrorCode.UNSUPPORTED_FRAME, "The frame carries no operation this server knows");
        }
        return request;
    }
}
