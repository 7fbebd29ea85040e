package io.courier.gateway.realtime;

import io.courier.core.error.CourierException;
import io.courier.gateway.fuzz.Mutations;
import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.Delivered;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.GroupCommand;
import io.courier.protocol.v1.Login;
import io.courier.protocol.v1.PullRequest;
import io.courier.protocol.v1.SendMessage;
import io.courier.protocol.v1.SyncRequest;
import io.courier.protocol.v1.Text;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the native protocol's decoding as the TCP pipeline does it: a stream of 4-byte
 * length-prefixed frames cut by Netty's decoder, each parsed as an Envelope. Every frame is an
 * Envelope or a CourierException (BAD_REQUEST, answered on the connection); a broken length is
 * Netty's DecoderException, on which the server closes the connection. Nothing else, and nothing leaks.
 */
class NativeFramesFuzzTest {
    private static final int MAX_FRAME = 64 * 1024;

    static final List<byte[]> SEEDS = List.of(
            Envelope.newBuilder().setRequestId(1).setLogin(Login.newBuilder().setToken("eyJhbGciOi.x.y").setDeviceId("phone")).build().toByteArray(),
            Envelope.newBuilder().setRequestId(2).setSend(SendMessage.newBuilder().setToUserId(42).setClientMsgId("m-1")
                    .setContent(Content.newBuilder().setText(Text.newBuilder().setText("hi").addAtUserIds(3)))).build().toByteArray(),
            Envelope.newBuilder().setRequestId(3).setDelivered(Delivered.newBuilder().setConversationId("p:1:2").setSeq(8)).build().toByteArray(),
            Envelope.newBuilder().setRequestId(4).setSync(SyncRequest.newBuilder().putKnown("p:1:2", 2).putKnown("g:5", 0)).build().toByteArray(),
            Envelope.newBuilder().setRequestId(5).setPull(PullRequest.newBuilder().setConversationId("g:5").setAfterSeq(10).setLimit(200)).build().toByteArray(),
            Envelope.newBuilder().setRequestId(6).setGroup(GroupCommand.newBuilder().setGroupId(5)).build().toByteArray());

    @Property
    void anyFrameIsAnEnvelopeOrARefusal(@ForAll("frames") byte[] frame) {
        ByteBuf buf = Unpooled.wrappedBuffer(frame);
        try {
            EnvelopeFrames.parse(buf);
            Statistics.collect("parsed");
        } catch (CourierException refused) {
            Statistics.collect(refused.code().name()); // answered with an error frame; the connection stays
        } finally {
            buf.release();
        }
    }

    @Property
    void anyStreamIsCutIntoFramesOrClosed(@ForAll("streams") byte[] stream) {
        EmbeddedChannel channel = new EmbeddedChannel(new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 4));
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(stream));
        } catch (DecoderException closed) {
            // a length over the limit or below zero: the server closes the connection
        }
        for (ByteBuf frame; (frame = channel.readInbound()) != null; ) {
            try {
                EnvelopeFrames.parse(frame);
            } catch (CourierException refused) {
                // answered on the connection
            } finally {
                frame.release();
            }
        }
        channel.finishAndReleaseAll();
        assertThat(channel.isOpen()).isFalse();
    }

    @Provide
    Arbitrary<byte[]> frames() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Combinators.combine(Arbitraries.of(SEEDS), Arbitraries.randoms()).as(Mutations::mutate)),
                net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)));
    }

    @Provide
    Arbitrary<byte[]> streams() {
        // a few length-prefixed seeds, then the whole stream mutated: lengths and bodies both break
        return Combinators.combine(Arbitraries.of(SEEDS).list().ofMinSize(1).ofMaxSize(4), Arbitraries.randoms()).as((frames, r) -> {
            ByteBuffer out = ByteBuffer.allocate(frames.stream().mapToInt(f -> f.length + 4).sum());
            frames.forEach(f -> out.putInt(f.length).put(f));
            return Mutations.mutate(out.array(), r);
        });
    }
}
