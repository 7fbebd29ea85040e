package io.courier.bench;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.DataFormatException;

/**
 * The line protocol between a {@code connections} run and its worker processes: one JSON object per
 * line on the worker's stdin and stdout, its kind in {@code "type"}. The parent sends an
 * {@link Assignment} (the access tokens travel here, never on a command line), later {@link Hold};
 * the worker answers {@link Ready} after its ramp and {@link Done} after the hold.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = WorkerMessage.Assignment.class, name = "assignment"),
        @JsonSubTypes.Type(value = WorkerMessage.Hold.class, name = "hold"),
        @JsonSubTypes.Type(value = WorkerMessage.Ready.class, name = "ready"),
        @JsonSubTypes.Type(value = WorkerMessage.Done.class, name = "done")})
sealed interface WorkerMessage {
    ObjectMapper JSON = new ObjectMapper();

    /** Parent to worker, first: the connections to open, one access token each. */
    record Assignment(List<String> tokens) implements WorkerMessage {
    }

    /** Parent to worker, once every worker is ready and the server has been read: hold for this long. */
    record Hold(long seconds) implements WorkerMessage {
    }

    /** Worker to parent after its ramp; {@code connectMicros} is an HdrHistogram, compressed, in Base64. */
    record Ready(long connected, long failed, List<String> reasons, double seconds, String connectMicros) implements WorkerMessage {
        static Ready of(Holders.Ramped r) {
            ByteBuffer buffer = ByteBuffer.allocate(r.connectMicros().getNeededByteBufferCapacity());
            int length = r.connectMicros().encodeIntoCompressedByteBuffer(buffer);
            return new Ready(r.connected(), r.failed(), r.reasons(), r.seconds(),
                    Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length)));
        }

        Holders.Ramped ramped() throws DataFormatException {
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(connectMicros));
            return new Holders.Ramped(connected, failed, reasons, seconds,
                    Histogram.decodeFromCompressedByteBuffer(bytes, Holders.Ramped.MAX_MICROS));
        }
    }

    /** Worker to parent after the hold. */
    record Done(long stayedUp, long drops) implements WorkerMessage {
        static Done of(Holders.Held h) {
            return new Done(h.stayedUp(), h.drops());
        }

        Holders.Held held() {
            return new Holders.Held(stayedUp, drops);
        }
    }

    /** One line of JSON, no line breaks inside (Jackson escapes them in strings). */
    static String line(WorkerMessage m) {
        try {
            return JSON.writerFor(WorkerMessage.class).writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + m, e);
        }
    }

    static WorkerMessage parse(String line) throws JsonProcessingException {
        return JSON.readValue(line, WorkerMessage.class);
    }
}
