package io.courier.microbench;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.gateway.mpim.MpimLineCodec.ParsedSend;
import io.courier.microbench.Samples.Payload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The codec benchmarks do the work they are named for: they produce the right bytes, text and envelopes. */
class CodecBenchmarksTest {
    private final EnvelopeCodecBench envelopes = new EnvelopeCodecBench();
    private final JsonFramesBench json = new JsonFramesBench();
    private final MpimLineBench lines = new MpimLineBench();

    @ParameterizedTest
    @EnumSource(Payload.class)
    void bothFramedEncodingsWriteTheLengthPrefixAndTheEnvelope(Payload payload) {
        EnvelopeCodecBench.Outbound s = new EnvelopeCodecBench.Outbound();
        s.payload = payload;
        s.setUp();
        try {
            int size = envelopes.encodeToBytes(s).length;
            assertThat(size).isEqualTo(Samples.push(payload).getSerializedSize());
            assertThat(envelopes.encodeFramedAsWired(s)).isEqualTo(4 + size);
            assertThat(envelopes.encodeFramedIntoPooledBuffer(s)).isEqualTo(4 + size);
        } finally {
            s.tearDown();
        }
    }

    @Test
    void theBaselineWritesTheReadyFrameAndKeepsItForTheNextCall() {
        EnvelopeCodecBench.BarePipeline s = new EnvelopeCodecBench.BarePipeline();
        s.setUp();
        try {
            int frame = 4 + Samples.push(Payload.DIRECT).getSerializedSize();
            assertThat(envelopes.pipelineOnlyBaseline(s)).isEqualTo(frame);
            assertThat(envelopes.pipelineOnlyBaseline(s)).isEqualTo(frame);
            assertThat(s.frame.refCnt()).isEqualTo(1);
        } finally {
            s.tearDown();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Payload.class, names = {"DIRECT", "GROUP"})
    void everyDecodingReadsTheClientsSend(Payload payload) throws Exception {
        EnvelopeCodecBench.Inbound s = new EnvelopeCodecBench.Inbound();
        s.payload = payload;
        s.setUp();
        try {
            assertThat(envelopes.decodeFromBytes(s)).isEqualTo(Samples.send(payload));
            assertThat(envelopes.decodeFrameAsWired(s)).isEqualTo(Samples.send(payload));
            assertThat(envelopes.decodeFrameFromNioBuffer(s)).isEqualTo(Samples.send(payload));
            assertThat(envelopes.decodeFrameAsWired(s)).as("parsing leaves the frame readable again").isEqualTo(Samples.send(payload));
        } finally {
            s.tearDown();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Payload.class, names = {"DIRECT", "GROUP"})
    void theJsonSendFrameDecodesToTheSend(Payload payload) {
        JsonFramesBench.Sends s = new JsonFramesBench.Sends();
        s.payload = payload;
        s.setUp();
        assertThat(s.text).startsWith("{\"type\":" + (payload == Payload.GROUP ? 2 : 1) + ",");
        assertThat(json.decodeSend(s)).isEqualTo(Samples.send(payload));
    }

    @Test
    void theSyncPushCarriesTwentyConversations() {
        JsonFramesBench.Pushes s = new JsonFramesBench.Pushes();
        s.payload = Payload.SYNC;
        s.setUp();
        String text = json.encodePush(s);
        assertThat(text.split("\"last_message\"", -1)).hasSize(21);
    }

    @Test
    void aGroupMessageBecomesOneMsgLineWithItsGroup() {
        MpimLineBench.Pushes s = new MpimLineBench.Pushes();
        s.payload = Payload.GROUP;
        s.setUp();
        assertThat(lines.formatMsgLine(s))
                .startsWith("MSG id=")
                .contains(" from=" + Samples.ALICE, " group=" + Samples.GROUP_ID)
                .endsWith(" text=" + Samples.GROUP_TEXT);
    }

    @Test
    void aSendLineSplitsIntoRecipientAndText() {
        assertThat(lines.parseSendLine(new MpimLineBench.Lines()))
                .isEqualTo(new ParsedSend("SEND", Samples.BOB, Samples.DIRECT_TEXT));
    }
}
