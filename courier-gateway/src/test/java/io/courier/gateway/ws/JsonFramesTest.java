package io.courier.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.gateway.http.Json;
import io.courier.protocol.v1.Card;
import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.ConversationState;
import io.courier.protocol.v1.Custom;
import io.courier.protocol.v1.Delivered;
import io.courier.protocol.v1.Delivery;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.File;
import io.courier.protocol.v1.Heartbeat;
import io.courier.protocol.v1.HistoryRequest;
import io.courier.protocol.v1.Image;
import io.courier.protocol.v1.Kicked;
import io.courier.protocol.v1.Location;
import io.courier.protocol.v1.Login;
import io.courier.protocol.v1.LoginOk;
import io.courier.protocol.v1.MarkRead;
import io.courier.protocol.v1.Message;
import io.courier.protocol.v1.Messages;
import io.courier.protocol.v1.Ok;
import io.courier.protocol.v1.PresenceChange;
import io.courier.protocol.v1.PresenceList;
import io.courier.protocol.v1.PresenceQuery;
import io.courier.protocol.v1.PullRequest;
import io.courier.protocol.v1.ReadReceipt;
import io.courier.protocol.v1.Recall;
import io.courier.protocol.v1.Recalled;
import io.courier.protocol.v1.SendAck;
import io.courier.protocol.v1.SendMessage;
import io.courier.protocol.v1.SyncRequest;
import io.courier.protocol.v1.SyncResponse;
import io.courier.protocol.v1.Text;
import io.courier.protocol.v1.Typing;
import io.courier.protocol.v1.Video;
import io.courier.protocol.v1.Voice;
import java.math.BigInteger;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonFramesTest {
    private static final JsonFrames FRAMES = new JsonFrames(Json.mapper());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 2^64 - 1, the largest uint64, which protobuf keeps in a long as -1. */
    private static final long UINT64_MAX = -1L;
    private static final BigInteger UINT64_MAX_NUMBER = new BigInteger("18446744073709551615");

    private static Envelope decode(String json) {
        return FRAMES.decode(json);
    }

    private static JsonNode encode(Envelope envelope) {
        try {
            return JSON.readTree(FRAMES.encode(envelope));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    // =============================================================================================
    @Nested
    class DecodeChat {
        @Test
        void textChat() {
            Envelope e = decode("""
                    {"type":1,"request_id":7,"message_id":"m-1","from":999,"to":42,
                     "content":{"text":"hi","at_user_ids":[3,4],"at_all":true},"unknown":{"x":[1,2]}}""");
            assertThat(e.getRequestId()).isEqualTo(7);
            assertThat(e.getBodyCase()).isEqualTo(Envelope.BodyCase.SEND);
            SendMessage send = e.getSend();
            assertThat(send.getClientMsgId()).isEqualTo("m-1");
            assertThat(send.getToUserId()).isEqualTo(42);
            assertThat(send.getToGroupId()).isZero();
            Text text = send.getContent().getText();
            assertThat(text.getText()).isEqualTo("hi");
            assertThat(text.getAtUserIdsList()).containsExactly(3L, 4L);
            assertThat(text.getAtAll()).isTrue();
        }

        @Test
        void idsAsStringsAsSimpleImSendsThem() {
            Envelope e = decode("""
                    {"type":1,"request_id":"7","to":"42","content":{"text":"hi","at_user_ids":["3",4]}}""");
            assertThat(e.getRequestId()).isEqualTo(7);
            assertThat(e.getSend().getToUserId()).isEqualTo(42);
            assertThat(e.getSend().getContent().getText().getAtUserIdsList()).containsExactly(3L, 4L);

            Envelope group = decode("{\"type\":2,\"group_id\":\"18446744073709551615\",\"content\":{\"text\":\"x\"}}");
            assertThat(Long.toUnsignedString(group.getSend().getToGroupId())).isEqualTo("18446744073709551615");
            assertThat(decode("{\"type\":50,\"content\":{\"user_ids\":[\"1\",\"2\"]}}").getPresenceQuery().getUserIdsList())
                    .containsExactly(1L, 2L);
        }

        @Test
        void typeZeroWithoutMessageIdLeavesItEmpty() {
            Envelope e = decode("{\"type\":0,\"to\":5,\"content\":{\"text\":\"yo\"},\"timestamp\":1700000000000}");
            assertThat(e.getRequestId()).isZero();
            assertThat(e.getSend().getClientMsgId()).isEmpty();
            assertThat(e.getSend().getToUserId()).isEqualTo(5);
            assertThat(e.getSend().getContent().getText().getText()).isEqualTo("yo");
            assertThat(e.getSend().getContent().getText().getAtUserIdsList()).isEmpty();
            assertThat(e.getSend().getContent().getText().getAtAll()).isFalse();
        }

        @Test
        void largestUint64IsAccepted() {
            Envelope e = decode("{\"type\":1,\"request_id\":18446744073709551615,\"to\":18446744073709551615,\"content\":{\"text\":\"x\"}}");
            assertThat(e.getRequestId()).isEqualTo(UINT64_MAX);
            assertThat(e.getSend().getToUserId()).isEqualTo(UINT64_MAX);
        }

        @Test
        void jsonNullCountsAsAbsent() {
            Envelope e = decode("{\"type\":1,\"request_id\":null,\"message_id\":null,\"group_id\":null,\"to\":5,\"content\":{\"text\":\"x\",\"at_all\":null}}");
            assertThat(e.getRequestId()).isZero();
            assertThat(e.getSend().getClientMsgId()).isEmpty();
            assertThat(e.getSend().getToUserId()).isEqualTo(5);
        }

        @Test
        void groupChatByGroupId() {
            SendMessage send = decode("{\"type\":2,\"message_id\":\"g-1\",\"to\":9,\"group_id\":77,\"content\":{\"text\":\"all\"}}").getSend();
            assertThat(send.getToGroupId()).isEqualTo(77);
            assertThat(send.getToUserId()).isZero();
            assertThat(send.getClientMsgId()).isEqualTo("g-1");
            assertThat(send.getContent().getText().getText()).isEqualTo("all");
        }

        @Test
        void groupChatByToAsSimpleImSendsIt() {
            SendMessage send = decode("{\"type\":2,\"to\":77,\"group_id\":0,\"content\":{\"text\":\"all\"}}").getSend();
            assertThat(send.getToGroupId()).isEqualTo(77);
            assertThat(send.getToUserId()).isZero();
        }

        @Test
        void image() {
            SendMessage send = decode("""
                    {"type":4,"to":8,"content":{"url":"https://f/1.png","file_id":"f1","width":640,"height":480,
                     "size":12345,"mime_type":"image/png","thumbnail_url":"https://f/1t.png"}}""").getSend();
            assertThat(send.getToUserId()).isEqualTo(8);
            Image image = send.getContent().getImage();
            assertThat(image.getUrl()).isEqualTo("https://f/1.png");
            assertThat(image.getFileId()).isEqualTo("f1");
            assertThat(image.getWidth()).isEqualTo(640);
            assertThat(image.getHeight()).isEqualTo(480);
            assertThat(image.getSize()).isEqualTo(12345);
            assertThat(image.getMimeType()).isEqualTo("image/png");
            assertThat(image.getThumbnailUrl()).isEqualTo("https://f/1t.png");
        }

        @Test
        void imageAsSimpleImWebAppSendsIt() {
            SendMessage send = decode("""
                    {"type":4,"to":8,"group_id":8,"content":{"file_id":"f1","file_name":"a.png","file_size":99,
                     "file_type":"image","mime_type":"image/png","url":"u"}}""").getSend();
            assertThat(send.getToGroupId()).isEqualTo(8);
            assertThat(send.getToUserId()).isZero();
            assertThat(send.getContent().getImage().getSize()).isEqualTo(99);
            assertThat(send.getContent().getImage().getUrl()).isEqualTo("u");
        }

        @Test
        void voice() {
            Voice voice = decode("""
                    {"type":5,"to":8,"content":{"url":"u","file_id":"f","duration_ms":3000,"size":10,"mime_type":"audio/ogg"}}""")
                    .getSend().getContent().getVoice();
            assertThat(voice.getUrl()).isEqualTo("u");
            assertThat(voice.getFileId()).isEqualTo("f");
            assertThat(voice.getDurationMs()).isEqualTo(3000);
            assertThat(voice.getSize()).isEqualTo(10);
            assertThat(voice.getMimeType()).isEqualTo("audio/ogg");
        }

        @Test
        void video() {
            Video video = decode("""
                    {"type":6,"group_id":3,"content":{"url":"u","file_id":"f","duration_ms":4294967295,"width":1920,
                     "height":1080,"size":10,"mime_type":"video/mp4","thumbnail_url":"t"}}""")
                    .getSend().getContent().getVideo();
            assertThat(video.getUrl()).isEqualTo("u");
            assertThat(video.getFileId()).isEqualTo("f");
            assertThat(Integer.toUnsignedLong(video.getDurationMs())).isEqualTo(4294967295L);
            assertThat(video.getWidth()).isEqualTo(1920);
            assertThat(video.getHeight()).isEqualTo(1080);
            assertThat(video.getSize()).isEqualTo(10);
            assertThat(video.getMimeType()).isEqualTo("video/mp4");
            assertThat(video.getThumbnailUrl()).isEqualTo("t");
        }

        @Test
        void file() {
            File file = decode("""
                    {"type":7,"to":8,"content":{"url":"u","file_id":"f","name":"a.pdf","size":10,"mime_type":"application/pdf"}}""")
                    .getSend().getContent().getFile();
            assertThat(file.getUrl()).isEqualTo("u");
            assertThat(file.getFileId()).isEqualTo("f");
            assertThat(file.getName()).isEqualTo("a.pdf");
            assertThat(file.getSize()).isEqualTo(10);
            assertThat(file.getMimeType()).isEqualTo("application/pdf");
        }

        @Test
        void fileWithSimpleImNames() {
            File file = decode("{\"type\":7,\"to\":8,\"content\":{\"file_name\":\"b.txt\",\"file_size\":5}}").getSend().getContent().getFile();
            assertThat(file.getName()).isEqualTo("b.txt");
            assertThat(file.getSize()).isEqualTo(5);
        }

        @Test
        void location() {
            Location location = decode("""
                    {"type":8,"to":8,"content":{"latitude":52.52,"longitude":13,"name":"Berlin","address":"Mitte"}}""")
                    .getSend().getContent().getLocation();
            assertThat(location.getLatitude()).isEqualTo(52.52);
            assertThat(location.getLongitude()).isEqualTo(13.0);
            assertThat(location.getName()).isEqualTo("Berlin");
            assertThat(location.getAddress()).isEqualTo("Mitte");
        }

        @Test
        void card() {
            Card card = decode("{\"type\":9,\"to\":8,\"content\":{\"user_id\":11,\"nickname\":\"Ann\",\"avatar\":\"https://a\"}}")
                    .getSend().getContent().getCard();
            assertThat(card.getUserId()).isEqualTo(11);
            assertThat(card.getNickname()).isEqualTo("Ann");
            assertThat(card.getAvatar()).isEqualTo("https://a");
        }

        @Test
        void customWithStringData() {
            Custom custom = decode("{\"type\":10,\"to\":8,\"content\":{\"type\":\"poll\",\"data\":\"{\\\"q\\\":1}\"}}")
                    .getSend().getContent().getCustom();
            assertThat(custom.getType()).isEqualTo("poll");
            assertThat(custom.getData()).isEqualTo("{\"q\":1}");
        }

        @Test
        void customWithJsonDataKeepsItAsCompactText() {
            Custom object = decode("{\"type\":10,\"to\":8,\"content\":{\"type\":\"poll\",\"data\":{ \"q\" : [1, 2, {\"a\":null}] }}}")
                    .getSend().getContent().getCustom();
            assertThat(object.getData()).isEqualTo("{\"q\":[1,2,{\"a\":null}]}");
            Custom array = decode("{\"type\":10,\"to\":8,\"content\":{\"data\":[ \"x\" , 1.5 ]}}").getSend().getContent().getCustom();
            assertThat(array.getType()).isEmpty();
            assertThat(array.getData()).isEqualTo("[\"x\",1.5]");
        }

        @Test
        void mediaGoesToTheUserWhenGroupIdIsZero() {
            SendMessage send = decode("{\"type\":9,\"to\":8,\"group_id\":0,\"content\":{\"user_id\":1}}").getSend();
            assertThat(send.getToUserId()).isEqualTo(8);
            assertThat(send.getToGroupId()).isZero();
        }

        @Test
        void clientFromIsIgnored() {
            SendMessage send = decode("{\"type\":1,\"from\":\"not even a number\",\"to\":8,\"content\":{\"text\":\"x\"}}").getSend();
            assertThat(send.getToUserId()).isEqualTo(8);
        }
    }

    // =============================================================================================
    @Nested
    class DecodeOthers {
        @Test
        void readFromContent() {
            Envelope e = decode("{\"type\":31,\"request_id\":3,\"content\":{\"conversation_id\":\"p:1:2\",\"seq\":17}}");
            assertThat(e.getRequestId()).isEqualTo(3);
            MarkRead read = e.getRead();
            assertThat(read.getConversationId()).isEqualTo("p:1:2");
            assertThat(read.getSeq()).isEqualTo(17);
        }

        @Test
        void readFromTopLevel() {
            MarkRead read = decode("{\"type\":31,\"conversation_id\":\"g:5\",\"seq\":9}").getRead();
            assertThat(read.getConversationId()).isEqualTo("g:5");
            assertThat(read.getSeq()).isEqualTo(9);
        }

        @Test
        void readWithSimpleImLastReadSeq() {
            MarkRead read = decode("{\"type\":31,\"content\":{\"conversation_id\":\"g:5\",\"last_read_seq\":4}}").getRead();
            assertThat(read.getSeq()).isEqualTo(4);
        }

        @Test
        void revoke() {
            Recall recall = decode("{\"type\":32,\"content\":{\"conversation_id\":\"p:1:2\",\"seq\":5}}").getRecall();
            assertThat(recall.getConversationId()).isEqualTo("p:1:2");
            assertThat(recall.getSeq()).isEqualTo(5);
            Recall topLevel = decode("{\"type\":32,\"conversation_id\":\"p:1:2\",\"seq\":6,\"content\":{}}").getRecall();
            assertThat(topLevel.getSeq()).isEqualTo(6);
        }

        @Test
        void contentWinsOverTopLevel() {
            Recall recall = decode("{\"type\":32,\"conversation_id\":\"top\",\"seq\":1,\"content\":{\"conversation_id\":\"inner\",\"seq\":2}}").getRecall();
            assertThat(recall.getConversationId()).isEqualTo("inner");
            assertThat(recall.getSeq()).isEqualTo(2);
        }

        @Test
        void typing() {
            Typing typing = decode("{\"type\":33,\"to\":4}").getTyping();
            assertThat(typing.getToUserId()).isEqualTo(4);
            assertThat(typing.getTyping()).isTrue();
            assertThat(typing.getFromUserId()).isZero();
            assertThat(decode("{\"type\":33,\"to\":4,\"content\":{\"typing\":false}}").getTyping().getTyping()).isFalse();
        }

        @Test
        void simpleImAckNamesTheMessageOrWhereItIs() {
            Delivered byId = decode("{\"type\":30,\"content\":{\"message_id\":\"c-7\",\"status\":\"delivered\"}}").getDelivered();
            assertThat(byId.getClientMsgId()).isEqualTo("c-7");
            assertThat(byId.getConversationId()).isEmpty();
            Delivered where = decode("{\"type\":30,\"content\":{\"conversation_id\":\"p:1:2\",\"seq\":8}}").getDelivered();
            assertThat(where.getConversationId()).isEqualTo("p:1:2");
            assertThat(where.getSeq()).isEqualTo(8);
        }

        @Test
        void delivered() {
            Delivered delivered = decode("{\"type\":34,\"content\":{\"conversation_id\":\"p:1:2\",\"seq\":8}}").getDelivered();
            assertThat(delivered.getConversationId()).isEqualTo("p:1:2");
            assertThat(delivered.getSeq()).isEqualTo(8);
        }

        @Test
        void sync() {
            SyncRequest sync = decode("{\"type\":40,\"request_id\":1,\"content\":{\"known\":{\"p:1:2\":5,\"g:9\":0}}}").getSync();
            assertThat(sync.getKnownMap()).containsOnly(
                    org.assertj.core.api.Assertions.entry("p:1:2", 5L), org.assertj.core.api.Assertions.entry("g:9", 0L));
            assertThat(decode("{\"type\":40}").getSync().getKnownMap()).isEmpty();
            assertThat(decode("{\"type\":40}").getBodyCase()).isEqualTo(Envelope.BodyCase.SYNC);
        }

        @Test
        void pull() {
            PullRequest pull = decode("{\"type\":41,\"content\":{\"conversation_id\":\"g:9\",\"after_seq\":10,\"limit\":20}}").getPull();
            assertThat(pull.getConversationId()).isEqualTo("g:9");
            assertThat(pull.getAfterSeq()).isEqualTo(10);
            assertThat(pull.getLimit()).isEqualTo(20);
        }

        @Test
        void history() {
            HistoryRequest history = decode("{\"type\":42,\"content\":{\"conversation_id\":\"g:9\",\"before_seq\":100,\"limit\":50}}").getHistory();
            assertThat(history.getConversationId()).isEqualTo("g:9");
            assertThat(history.getBeforeSeq()).isEqualTo(100);
            assertThat(history.getLimit()).isEqualTo(50);
            HistoryRequest newest = decode("{\"type\":42,\"content\":{\"conversation_id\":\"g:9\"}}").getHistory();
            assertThat(newest.getBeforeSeq()).isZero();
            assertThat(newest.getLimit()).isZero();
        }

        @Test
        void presenceQuery() {
            PresenceQuery query = decode("{\"type\":50,\"content\":{\"user_ids\":[1,2,3]}}").getPresenceQuery();
            assertThat(query.getUserIdsList()).containsExactly(1L, 2L, 3L);
        }

        @Test
        void heartbeat() {
            assertThat(decode("{\"type\":99,\"timestamp\":1700000000123}").getHeartbeat().getClientTs()).isEqualTo(1700000000123L);
            Envelope bare = decode("{\"type\":99}");
            assertThat(bare.getBodyCase()).isEqualTo(Envelope.BodyCase.HEARTBEAT);
            assertThat(bare.getHeartbeat().getClientTs()).isZero();
        }

        @Test
        void heartbeatAsSimpleImWebAppSendsIt() {
            assertThat(decode("{\"type\":99,\"content\":{\"timestamp\":1700000000999}}").getHeartbeat().getClientTs()).isEqualTo(1700000000999L);
            assertThat(decode("{\"type\":99,\"content\":\"ping\"}").getHeartbeat().getClientTs()).isZero();
        }
    }

    // =============================================================================================
    @Nested
    class RoundTrip {
        static Stream<Envelope> clientEnvelopes() {
            return Stream.of(
                    send(5, 0, Content.newBuilder().setText(Text.newBuilder().setText("hi").addAtUserIds(UINT64_MAX).setAtAll(true)).build()),
                    send(0, 6, Content.newBuilder().setText(Text.newBuilder().setText("group hi")).build()),
                    send(5, 0, Content.newBuilder().setImage(Image.newBuilder().setUrl("u").setFileId("f").setWidth(-1).setHeight(2)
                            .setSize(UINT64_MAX).setMimeType("image/png").setThumbnailUrl("t")).build()),
                    send(0, 6, Content.newBuilder().setVoice(Voice.newBuilder().setUrl("u").setDurationMs(1500).setSize(3)).build()),
                    send(5, 0, Content.newBuilder().setVideo(Video.newBuilder().setUrl("u").setFileId("f").setDurationMs(1).setWidth(2)
                            .setHeight(3).setSize(4).setMimeType("m").setThumbnailUrl("t")).build()),
                    send(5, 0, Content.newBuilder().setFile(File.newBuilder().setUrl("u").setFileId("f").setName("n").setSize(4).setMimeType("m")).build()),
                    send(5, 0, Content.newBuilder().setLocation(Location.newBuilder().setLatitude(-33.86).setLongitude(151.2)
                            .setName("Sydney").setAddress("Circular Quay")).build()),
                    send(0, 6, Content.newBuilder().setCard(Card.newBuilder().setUserId(44).setNickname("n").setAvatar("a")).build()),
                    send(5, 0, Content.newBuilder().setCustom(Custom.newBuilder().setType("poll").setData("{\"q\":1}")).build()),
                    Envelope.newBuilder().setRequestId(1).setRead(MarkRead.newBuilder().setConversationId("p:1:2").setSeq(3)).build(),
                    Envelope.newBuilder().setRequestId(2).setRecall(Recall.newBuilder().setConversationId("p:1:2").setSeq(UINT64_MAX)).build(),
                    Envelope.newBuilder().setTyping(Typing.newBuilder().setToUserId(9).setTyping(true)).build(),
                    Envelope.newBuilder().setTyping(Typing.newBuilder().setToUserId(9).setTyping(false)).build(),
                    Envelope.newBuilder().setDelivered(Delivered.newBuilder().setConversationId("g:1").setSeq(0)).build(),
                    Envelope.newBuilder().setRequestId(3).setSync(SyncRequest.newBuilder().putKnown("p:1:2", 4).putKnown("g:7", UINT64_MAX)).build(),
                    Envelope.newBuilder().setRequestId(4).setSync(SyncRequest.getDefaultInstance()).build(),
                    Envelope.newBuilder().setRequestId(5).setPull(PullRequest.newBuilder().setConversationId("g:1").setAfterSeq(10).setLimit(-1)).build(),
                    Envelope.newBuilder().setRequestId(6).setHistory(HistoryRequest.newBuilder().setConversationId("g:1").setBeforeSeq(10).setLimit(200)).build(),
                    Envelope.newBuilder().setRequestId(7).setPresenceQuery(PresenceQuery.newBuilder().addUserIds(1).addUserIds(UINT64_MAX)).build(),
                    Envelope.newBuilder().setHeartbeat(Heartbeat.newBuilder().setClientTs(1700000000000L)).build());
        }

        private static Envelope send(long toUser, long toGroup, Content content) {
            return Envelope.newBuilder().setRequestId(toUser + toGroup)
                    .setSend(SendMessage.newBuilder().setClientMsgId("c-" + content.getBodyCase()).setToUserId(toUser).setToGroupId(toGroup).setContent(content))
                    .build();
        }

        @ParameterizedTest
        @MethodSource("clientEnvelopes")
        void decodeReadsWhatEncodeWrites(Envelope envelope) {
            assertThat(decode(FRAMES.encode(envelope))).isEqualTo(envelope);
        }
    }

    // =============================================================================================
    @Nested
    class Encode {
        private static Message textMessage() {
            return Message.newBuilder()
                    .setConversationId("p:1:2").setSeq(12).setMessageId(UINT64_MAX).setSenderId(1).setClientMsgId("c-9")
                    .setToUserId(2).setServerTs(1700000000000L)
                    .setContent(Content.newBuilder().setText(Text.newBuilder().setText("hello")))
                    .build();
        }

        @Test
        void sendAck() {
            JsonNode f = encode(Envelope.newBuilder().setRequestId(5).setSendAck(SendAck.newBuilder()
                    .setClientMsgId("c-1").setMessageId(900).setConversationId("p:1:2").setSeq(12).setServerTs(1700000000000L)).build());
            assertThat(f.get("type").intValue()).isEqualTo(30);
            assertThat(f.get("request_id").longValue()).isEqualTo(5);
            assertThat(f.get("message_id").textValue()).isEqualTo("c-1");
            assertThat(f.get("server_message_id").isTextual()).as("an id, as a string").isTrue();
            assertThat(f.get("server_message_id").textValue()).isEqualTo("900");
            assertThat(f.get("seq").longValue()).isEqualTo(12);
            assertThat(f.get("conversation_id").textValue()).isEqualTo("p:1:2");
            assertThat(f.get("timestamp").longValue()).isEqualTo(1700000000000L);
            JsonNode c = f.get("content");
            assertThat(c.get("message_id").textValue()).isEqualTo("c-1");
            assertThat(c.get("server_message_id").textValue()).isEqualTo("900");
            assertThat(c.get("seq").isIntegralNumber()).isTrue();
            assertThat(c.get("conversation_id").textValue()).isEqualTo("p:1:2");
            assertThat(c.get("status").textValue()).isEqualTo("sent");

            JsonNode duplicate = encode(Envelope.newBuilder().setSendAck(SendAck.newBuilder().setClientMsgId("c-1").setDuplicate(true)).build());
            assertThat(duplicate.get("content").get("status").textValue()).isEqualTo("duplicate");
            assertThat(duplicate.has("request_id")).isFalse();
        }

        @Test
        void textMessagePush() {
            JsonNode f = encode(Envelope.newBuilder().setMessage(textMessage()).build());
            assertThat(f.get("type").intValue()).isEqualTo(1);
            assertThat(f.has("request_id")).isFalse();
            assertThat(f.get("message_id").textValue()).isEqualTo("c-9");
            assertThat(f.get("server_message_id").isTextual()).as("an id, as a string").isTrue();
            assertThat(f.get("server_message_id").textValue()).isEqualTo(UINT64_MAX_NUMBER.toString());
            assertThat(f.get("from").textValue()).isEqualTo("1");
            assertThat(f.get("to").textValue()).isEqualTo("2");
            assertThat(f.has("group_id")).isFalse();
            assertThat(f.get("conversation_id").textValue()).isEqualTo("p:1:2");
            assertThat(f.get("seq").longValue()).isEqualTo(12);
            assertThat(f.get("timestamp").longValue()).isEqualTo(1700000000000L);
            assertThat(f.get("content").get("text").textValue()).isEqualTo("hello");
            assertThat(f.get("content").size()).isEqualTo(1);
            assertThat(f.has("recalled")).isFalse();
        }

        @Test
        void groupTextMessagePush() {
            Message group = textMessage().toBuilder().setToUserId(0).setGroupId(66).setConversationId("g:66")
                    .setContent(Content.newBuilder().setText(Text.newBuilder().setText("@all").addAtUserIds(3).setAtAll(true))).build();
            JsonNode f = encode(Envelope.newBuilder().setMessage(group).build());
            assertThat(f.get("type").intValue()).isEqualTo(2);
            assertThat(f.has("to")).isFalse();
            assertThat(f.get("group_id").textValue()).isEqualTo("66");
            assertThat(f.get("content").get("at_user_ids").get(0).textValue()).isEqualTo("3");
            assertThat(f.get("content").get("at_all").booleanValue()).isTrue();
        }

        @ParameterizedTest
        @MethodSource("contentKinds")
        void messageTypeFollowsTheContentKind(Content content, int type) {
            JsonNode f = encode(Envelope.newBuilder().setMessage(textMessage().toBuilder().setGroupId(3).setContent(content)).build());
            assertThat(f.get("type").intValue()).isEqualTo(type);
        }

        static Stream<Arguments> contentKinds() {
            return Stream.of(
                    arguments(Content.newBuilder().setText(Text.newBuilder().setText("t")).build(), 2),
                    arguments(Content.newBuilder().setImage(Image.newBuilder().setUrl("u")).build(), 4),
                    arguments(Content.newBuilder().setVoice(Voice.newBuilder().setUrl("u")).build(), 5),
                    arguments(Content.newBuilder().setVideo(Video.newBuilder().setUrl("u")).build(), 6),
                    arguments(Content.newBuilder().setFile(File.newBuilder().setUrl("u")).build(), 7),
                    arguments(Content.newBuilder().setLocation(Location.newBuilder().setName("n")).build(), 8),
                    arguments(Content.newBuilder().setCard(Card.newBuilder().setUserId(1)).build(), 9),
                    arguments(Content.newBuilder().setCustom(Custom.newBuilder().setType("x")).build(), 10));
        }

        @Test
        void imageMessageLeavesOutUnsetFields() {
            Message image = textMessage().toBuilder()
                    .setContent(Content.newBuilder().setImage(Image.newBuilder().setUrl("u").setWidth(-1).setSize(UINT64_MAX))).build();
            JsonNode f = encode(Envelope.newBuilder().setMessage(image).build());
            assertThat(f.get("type").intValue()).isEqualTo(4);
            JsonNode c = f.get("content");
            assertThat(c.get("url").textValue()).isEqualTo("u");
            assertThat(c.get("width").longValue()).isEqualTo(4294967295L);
            assertThat(c.get("size").isIntegralNumber()).isTrue();
            assertThat(c.get("size").bigIntegerValue()).isEqualTo(UINT64_MAX_NUMBER);
            assertThat(c.has("file_id")).isFalse();
            assertThat(c.has("height")).isFalse();
            assertThat(c.has("mime_type")).isFalse();
            assertThat(c.has("thumbnail_url")).isFalse();
        }

        @Test
        void locationLeavesOutValuesJsonCannotHold() {
            Message location = textMessage().toBuilder()
                    .setContent(Content.newBuilder().setLocation(Location.newBuilder().setLatitude(Double.NaN).setLongitude(1.5))).build();
            JsonNode c = encode(Envelope.newBuilder().setMessage(location).build()).get("content");
            assertThat(c.has("latitude")).isFalse();
            assertThat(c.get("longitude").doubleValue()).isEqualTo(1.5);
        }

        @Test
        void customDataStaysAString() {
            Message custom = textMessage().toBuilder()
                    .setContent(Content.newBuilder().setCustom(Custom.newBuilder().setType("poll").setData("{\"q\":1}"))).build();
            JsonNode c = encode(Envelope.newBuilder().setMessage(custom).build()).get("content");
            assertThat(c.get("type").textValue()).isEqualTo("poll");
            assertThat(c.get("data").textValue()).isEqualTo("{\"q\":1}");
        }

        @Test
        void recalledMessageHasEmptyContent() {
            Message recalled = textMessage().toBuilder().clearContent().setRecalled(true).build();
            JsonNode f = encode(Envelope.newBuilder().setMessage(recalled).build());
            assertThat(f.get("type").intValue()).isEqualTo(1);
            assertThat(f.get("recalled").booleanValue()).isTrue();
            assertThat(f.get("content").isObject()).isTrue();
            assertThat(f.get("content").isEmpty()).isTrue();
        }

        @Test
        void readReceipt() {
            JsonNode f = encode(Envelope.newBuilder().setReadReceipt(ReadReceipt.newBuilder()
                    .setConversationId("p:1:2").setReaderId(2).setSeq(40)).build());
            assertThat(f.get("type").intValue()).isEqualTo(31);
            assertThat(f.get("from").textValue()).isEqualTo("2");
            assertThat(f.get("conversation_id").textValue()).isEqualTo("p:1:2");
            assertThat(f.get("seq").longValue()).isEqualTo(40);
            JsonNode c = f.get("content");
            assertThat(c.get("conversation_id").textValue()).isEqualTo("p:1:2");
            assertThat(c.get("seq").isIntegralNumber()).isTrue();
            assertThat(c.get("seq").longValue()).isEqualTo(40);
            assertThat(c.get("reader_id").textValue()).isEqualTo("2");
        }

        @Test
        void recalled() {
            JsonNode f = encode(Envelope.newBuilder().setRequestId(8).setRecalled(Recalled.newBuilder()
                    .setConversationId("g:3").setSeq(5).setMessageId(77).setByUserId(1).setRecalledAt(1700000000500L)).build());
            assertThat(f.get("type").intValue()).isEqualTo(32);
            assertThat(f.get("request_id").longValue()).isEqualTo(8);
            assertThat(f.get("from").textValue()).isEqualTo("1");
            assertThat(f.get("conversation_id").textValue()).isEqualTo("g:3");
            assertThat(f.get("seq").longValue()).isEqualTo(5);
            assertThat(f.get("server_message_id").textValue()).isEqualTo("77");
            assertThat(f.get("timestamp").longValue()).isEqualTo(1700000000500L);
            JsonNode c = f.get("content");
            assertThat(c.get("conversation_id").textValue()).isEqualTo("g:3");
            assertThat(c.get("seq").longValue()).isEqualTo(5);
            assertThat(c.get("server_message_id").textValue()).isEqualTo("77");
            assertThat(c.get("recalled_at").longValue()).isEqualTo(1700000000500L);
        }

        @Test
        void typingPush() {
            JsonNode f = encode(Envelope.newBuilder().setTyping(Typing.newBuilder()
                    .setFromUserId(4).setConversationId("p:4:9").setTyping(false)).build());
            assertThat(f.get("type").intValue()).isEqualTo(33);
            assertThat(f.get("from").textValue()).isEqualTo("4");
            assertThat(f.has("to")).isFalse();
            assertThat(f.get("conversation_id").textValue()).isEqualTo("p:4:9");
            assertThat(f.get("content").get("typing").booleanValue()).isFalse();
            assertThat(f.get("content").get("conversation_id").textValue()).isEqualTo("p:4:9");
        }

        @Test
        void ok() {
            JsonNode f = encode(Envelope.newBuilder().setRequestId(12).setOk(Ok.getDefaultInstance()).build());
            assertThat(f.get("type").intValue()).isEqualTo(35);
            assertThat(f.get("request_id").longValue()).isEqualTo(12);
            assertThat(f.size()).isEqualTo(2);
        }

        @Test
        void requestIdIsANumberEvenAboveLongMax() {
            JsonNode f = encode(Envelope.newBuilder().setRequestId(UINT64_MAX).setOk(Ok.getDefaultInstance()).build());
            assertThat(f.get("request_id").isIntegralNumber()).isTrue();
            assertThat(f.get("request_id").bigIntegerValue()).isEqualTo(UINT64_MAX_NUMBER);
        }

        @Test
        void typeAndRequestIdComeFirst() {
            String text = FRAMES.encode(Envelope.newBuilder().setRequestId(12).setKicked(Kicked.newBuilder().setReason("idle")).build());
            assertThat(text).startsWith("{\"type\":100,\"request_id\":12,");
        }

        @Test
        void syncResult() {
            JsonNode f = encode(Envelope.newBuilder().setRequestId(2).setSyncResult(SyncResponse.newBuilder()
                    .setServerTs(1700000000000L)
                    .addConversations(ConversationState.newBuilder().setConversationId("p:1:2").setPeerUserId(2)
                            .setLastSeq(12).setReadSeq(10).setUnread(2).setUpdatedAt(1690000000000L).setLastMessage(textMessage()))
                    .addConversations(ConversationState.newBuilder().setConversationId("g:5").setGroupId(5).setLastSeq(1)))
                    .build());
            assertThat(f.get("type").intValue()).isEqualTo(40);
            assertThat(f.get("request_id").longValue()).isEqualTo(2);
            assertThat(f.get("timestamp").longValue()).isEqualTo(1700000000000L);
            JsonNode conversations = f.get("content").get("conversations");
            assertThat(conversations.size()).isEqualTo(2);
            JsonNode first = conversations.get(0);
            assertThat(first.get("conversation_id").textValue()).isEqualTo("p:1:2");
            assertThat(first.get("peer_user_id").textValue()).isEqualTo("2");
            assertThat(first.has("group_id")).isFalse();
            assertThat(first.get("last_seq").longValue()).isEqualTo(12);
            assertThat(first.get("read_seq").longValue()).isEqualTo(10);
            assertThat(first.get("unread").longValue()).isEqualTo(2);
            assertThat(first.get("updated_at").longValue()).isEqualTo(1690000000000L);
            assertThat(first.get("last_message")).isEqualTo(encode(Envelope.newBuilder().setMessage(textMessage()).build()));
            JsonNode second = conversations.get(1);
            assertThat(second.has("peer_user_id")).isFalse();
            assertThat(second.get("group_id").textValue()).isEqualTo("5");
            assertThat(second.get("read_seq").longValue()).isZero();
            assertThat(second.has("last_message")).isFalse();
        }

        @Test
        void messages() {
            JsonNode f = encode(Envelope.newBuilder().setRequestId(3).setMessages(Messages.newBuilder()
                    .setConversationId("p:1:2").addMessages(textMessage()).addMessages(textMessage().toBuilder().setSeq(13))).build());
            assertThat(f.get("type").intValue()).isEqualTo(41);
            assertThat(f.get("request_id").longValue()).isEqualTo(3);
            JsonNode c = f.get("content");
            assertThat(c.get("conversation_id").textValue()).isEqualTo("p:1:2");
            assertThat(c.get("has_more").booleanValue()).isFalse();
            assertThat(c.get("messages").size()).isEqualTo(2);
            assertThat(c.get("messages").get(1).get("seq").longValue()).isEqualTo(13);
            assertThat(c.get("messages").get(0).get("content").get("text").textValue()).isEqualTo("hello");
        }

        @Test
        void presenceList() {
            JsonNode f = encode(Envelope.newBuilder().setRequestId(4).setPresenceList(PresenceList.newBuilder()
                    .addUsers(PresenceChange.newBuilder().setUserId(1).setOnline(true).setLastSeen(1700000000000L))
                    .addUsers(PresenceChange.newBuilder().setUserId(2))).build());
            assertThat(f.get("type").intValue()).isEqualTo(50);
            JsonNode users = f.get("content").get("users");
            assertThat(users.size()).isEqualTo(2);
            assertThat(users.get(0).get("user_id").textValue()).isEqualTo("1");
            assertThat(users.get(0).get("online").booleanValue()).isTrue();
            assertThat(users.get(0).get("last_seen").longValue()).isEqualTo(1700000000000L);
            assertThat(users.get(1).get("online").booleanValue()).isFalse();
        }

        @Test
        void presence() {
            JsonNode f = encode(Envelope.newBuilder().setPresence(PresenceChange.newBuilder()
                    .setUserId(7).setOnline(false).setLastSeen(1700000000000L)).build());
            assertThat(f.get("type").intValue()).isEqualTo(51);
            assertThat(f.get("from").textValue()).isEqualTo("7");
            assertThat(f.get("content").get("user_id").textValue()).isEqualTo("7");
            assertThat(f.get("content").get("online").booleanValue()).isFalse();
            assertThat(f.get("content").get("last_seen").longValue()).isEqualTo(1700000000000L);
        }

        @Test
        void heartbeat() {
            JsonNode f = encode(Envelope.newBuilder().setHeartbeat(Heartbeat.newBuilder().setServerTs(1700000000001L)).build());
            assertThat(f.get("type").intValue()).isEqualTo(99);
            assertThat(f.get("timestamp").longValue()).isEqualTo(1700000000001L);
            assertThat(f.has("content")).isFalse();
            JsonNode answer = encode(Envelope.newBuilder().setHeartbeat(Heartbeat.newBuilder().setServerTs(2).setClientTs(1)).build());
            assertThat(answer.get("timestamp").longValue()).isEqualTo(2);
            assertThat(answer.get("content").get("client_ts").longValue()).isEqualTo(1);
        }

        @Test
        void kicked() {
            JsonNode f = encode(Envelope.newBuilder().setKicked(Kicked.newBuilder().setReason("replaced").setDeviceId("phone")).build());
            assertThat(f.get("type").intValue()).isEqualTo(100);
            assertThat(f.get("content").get("reason").textValue()).isEqualTo("replaced");
            assertThat(f.get("content").get("device_id").textValue()).isEqualTo("phone");
        }

        @Test
        void loginOk() {
            JsonNode f = encode(Envelope.newBuilder().setLoginOk(LoginOk.newBuilder()
                    .setUserId(5).setDeviceId("web").setServerTs(1700000000000L).setHeartbeatIntervalS(30)).build());
            assertThat(f.get("type").intValue()).isEqualTo(101);
            assertThat(f.get("timestamp").longValue()).isEqualTo(1700000000000L);
            JsonNode c = f.get("content");
            assertThat(c.get("user_id").isTextual()).as("an id, as a string").isTrue();
            assertThat(c.get("user_id").textValue()).isEqualTo("5");
            assertThat(c.get("device_id").textValue()).isEqualTo("web");
            assertThat(c.get("heartbeat_interval_s").intValue()).isEqualTo(30);
            assertThat(c.get("delivery").textValue()).as("unspecified is written").isEqualTo("written");
            JsonNode acked = encode(Envelope.newBuilder().setLoginOk(LoginOk.newBuilder().setUserId(5).setDelivery(Delivery.ACKED)).build());
            assertThat(acked.at("/content/delivery").textValue()).isEqualTo("acked");
        }

        @Test
        void error() {
            JsonNode f = encode(Envelope.newBuilder().setRequestId(9).setError(io.courier.protocol.v1.Error.newBuilder()
                    .setCode(1008).setName("UNSUPPORTED_FRAME").setMessage("Unknown frame type 7777")).build());
            assertThat(f.get("type").intValue()).isEqualTo(3);
            assertThat(f.get("request_id").longValue()).isEqualTo(9);
            JsonNode c = f.get("content");
            assertThat(c.get("code").intValue()).isEqualTo(1008);
            assertThat(c.get("name").textValue()).isEqualTo("UNSUPPORTED_FRAME");
            assertThat(c.get("message").textValue()).isEqualTo("Unknown frame type 7777");
        }

        @Test
        void defaultBodiesEncodeWithoutFailing() {
            for (Envelope.BodyCase body : Envelope.BodyCase.values()) {
                if (body == Envelope.BodyCase.BODY_NOT_SET || body == Envelope.BodyCase.LOGIN) {
                    continue;
                }
                var field = Envelope.getDescriptor().findFieldByNumber(body.getNumber());
                Envelope.Builder builder = Envelope.newBuilder();
                Envelope envelope = builder.setField(field, builder.newBuilderForField(field).build()).build();
                assertThat(envelope.getBodyCase()).isEqualTo(body);
                JsonNode f = encode(envelope);
                assertThat(f.get("type").isInt()).as(body.name()).isTrue();
            }
        }

        @Test
        void anEnvelopeWithoutABodyIsAProgrammingError() {
            assertThatThrownBy(() -> FRAMES.encode(Envelope.getDefaultInstance())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> FRAMES.encode(Envelope.newBuilder().setLogin(Login.newBuilder().setToken("secret")).build()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining("secret");
        }
    }

    // =============================================================================================
    @Nested
    class BadInput {
        static Stream<Arguments> badFrames() {
            String deepArrays = "[".repeat(10_000) + "]".repeat(10_000);
            String deepInField = "{\"type\":1,\"to\":2,\"content\":{\"text\":\"x\"},\"extra\":" + deepArrays + "}";
            String deepObjects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
            String deepCustom = "{\"type\":10,\"to\":2,\"content\":{\"data\":" + "[".repeat(100) + "]".repeat(100) + "}}";
            String digits400 = "9".repeat(400);
            return Stream.of(
                    // not JSON
                    arguments("not json", ErrorCode.MALFORMED_JSON, null),
                    arguments("", ErrorCode.MALFORMED_JSON, null),
                    arguments("   ", ErrorCode.MALFORMED_JSON, null),
                    arguments(null, ErrorCode.MALFORMED_JSON, null),
                    arguments("{\"type\":1,", ErrorCode.MALFORMED_JSON, null),
                    arguments("{\"type\":99} {\"type\":99}", ErrorCode.MALFORMED_JSON, null),
                    arguments("{\"type\":99,\"type\":1}", ErrorCode.MALFORMED_JSON, null),
                    arguments("{\"type\":99,\"timestamp\":NaN}", ErrorCode.MALFORMED_JSON, null),
                    arguments("{'type':99}", ErrorCode.MALFORMED_JSON, null),
                    arguments("{\"type\":1,\"to\":2,\"content\":{\"text\":\"a\u0001b\"}}", ErrorCode.MALFORMED_JSON, null),
                    arguments(deepArrays, ErrorCode.MALFORMED_JSON, null),
                    arguments(deepInField, ErrorCode.MALFORMED_JSON, null),
                    arguments(deepObjects, ErrorCode.MALFORMED_JSON, null),
                    arguments(deepCustom, ErrorCode.MALFORMED_JSON, null),
                    // JSON, but no frame
                    arguments("[{\"type\":99}]", ErrorCode.INVALID_FIELD, null),
                    arguments("\"hello\"", ErrorCode.INVALID_FIELD, null),
                    arguments("null", ErrorCode.INVALID_FIELD, null),
                    arguments("42", ErrorCode.INVALID_FIELD, null),
                    // type
                    arguments("{}", ErrorCode.MISSING_FIELD, "type"),
                    arguments("{\"type\":null}", ErrorCode.MISSING_FIELD, "type"),
                    arguments("{\"type\":\"1\"}", ErrorCode.INVALID_FIELD, "type"),
                    arguments("{\"type\":1.5}", ErrorCode.INVALID_FIELD, "type"),
                    arguments("{\"type\":true}", ErrorCode.INVALID_FIELD, "type"),
                    arguments("{\"type\":7777}", ErrorCode.UNSUPPORTED_FRAME, null),
                    arguments("{\"type\":-1}", ErrorCode.UNSUPPORTED_FRAME, null),
                    arguments("{\"type\":" + digits400 + "}", ErrorCode.UNSUPPORTED_FRAME, null),
                    arguments("{\"type\":3,\"content\":{}}", ErrorCode.UNSUPPORTED_FRAME, null),
                    arguments("{\"type\":30,\"content\":{}}", ErrorCode.MISSING_FIELD, "content.message_id"),
                    arguments("{\"type\":30,\"content\":{\"message_id\":5}}", ErrorCode.INVALID_FIELD, "content.message_id"),
                    arguments("{\"type\":30,\"content\":{\"conversation_id\":\"p:1:2\"}}", ErrorCode.MISSING_FIELD, "content.seq"),
                    arguments("{\"type\":35}", ErrorCode.UNSUPPORTED_FRAME, null),
                    arguments("{\"type\":51}", ErrorCode.UNSUPPORTED_FRAME, null),
                    arguments("{\"type\":100}", ErrorCode.UNSUPPORTED_FRAME, null),
                    arguments("{\"type\":101}", ErrorCode.UNSUPPORTED_FRAME, null),
                    arguments("{\"type\":21,\"content\":{}}", ErrorCode.UNSUPPORTED_FRAME, null),
                    // chat targets
                    arguments("{\"type\":1,\"content\":{\"text\":\"x\"}}", ErrorCode.MISSING_FIELD, "to"),
                    arguments("{\"type\":4,\"group_id\":0,\"content\":{\"url\":\"u\"}}", ErrorCode.MISSING_FIELD, "to"),
                    arguments("{\"type\":2,\"content\":{\"text\":\"x\"}}", ErrorCode.MISSING_FIELD, "group_id"),
                    arguments("{\"type\":1,\"to\":-5,\"content\":{\"text\":\"x\"}}", ErrorCode.INVALID_FIELD, "to"),
                    arguments("{\"type\":1,\"to\":-5}", ErrorCode.INVALID_FIELD, "to"),
                    arguments("{\"type\":1,\"to\":0,\"content\":{\"text\":\"x\"}}", ErrorCode.INVALID_FIELD, "to"),
                    arguments("{\"type\":1,\"to\":\"4x2\",\"content\":{\"text\":\"x\"}}", ErrorCode.INVALID_FIELD, "to"),
                    arguments("{\"type\":1,\"to\":\"-5\",\"content\":{\"text\":\"x\"}}", ErrorCode.INVALID_FIELD, "to"),
                    arguments("{\"type\":1,\"to\":\" 42\",\"content\":{\"text\":\"x\"}}", ErrorCode.INVALID_FIELD, "to"),
                    arguments("{\"type\":1,\"to\":\"042\",\"content\":{\"text\":\"x\"}}", ErrorCode.INVALID_FIELD, "to"),
                    arguments("{\"type\":1,\"to\":\"\",\"content\":{\"text\":\"x\"}}", ErrorCode.INVALID_FIELD, "to"),
                    arguments("{\"type\":1,\"to\":\"18446744073709551616\",\"content\":{\"text\":\"x\"}}", ErrorCode.INVALID_FIELD, "to"),
                    arguments("{\"type\":1,\"to\":true,\"content\":{\"text\":\"x\"}}", ErrorCode.INVALID_FIELD, "to"),
                    arguments("{\"type\":1,\"to\":4.0,\"content\":{\"text\":\"x\"}}", ErrorCode.INVALID_FIELD, "to"),
                    arguments("{\"type\":1,\"to\":1e3,\"content\":{\"text\":\"x\"}}", ErrorCode.INVALID_FIELD, "to"),
                    arguments("{\"type\":1,\"to\":18446744073709551616,\"content\":{\"text\":\"x\"}}", ErrorCode.INVALID_FIELD, "to"),
                    arguments("{\"type\":1,\"to\":" + digits400 + ",\"content\":{\"text\":\"x\"}}", ErrorCode.INVALID_FIELD, "to"),
                    arguments("{\"type\":1,\"to\":-" + digits400 + ",\"content\":{\"text\":\"x\"}}", ErrorCode.INVALID_FIELD, "to"),
                    arguments("{\"type\":2,\"group_id\":" + digits400 + ".5,\"content\":{\"text\":\"x\"}}", ErrorCode.INVALID_FIELD, "group_id"),
                    arguments("{\"type\":1,\"request_id\":" + digits400 + ",\"to\":2,\"content\":{\"text\":\"x\"}}", ErrorCode.INVALID_FIELD, "request_id"),
                    arguments("{\"type\":1,\"request_id\":-1,\"to\":2,\"content\":{\"text\":\"x\"}}", ErrorCode.INVALID_FIELD, "request_id"),
                    // chat content
                    arguments("{\"type\":1,\"to\":2}", ErrorCode.MISSING_FIELD, "content"),
                    arguments("{\"type\":1,\"to\":2,\"content\":\"hi\"}", ErrorCode.INVALID_FIELD, "content"),
                    arguments("{\"type\":1,\"to\":2,\"content\":{}}", ErrorCode.MISSING_FIELD, "content.text"),
                    arguments("{\"type\":1,\"to\":2,\"content\":{\"text\":\"\"}}", ErrorCode.MISSING_FIELD, "content.text"),
                    arguments("{\"type\":1,\"to\":2,\"content\":{\"text\":5}}", ErrorCode.INVALID_FIELD, "content.text"),
                    arguments("{\"type\":1,\"to\":2,\"content\":{\"text\":[\"a\"]}}", ErrorCode.INVALID_FIELD, "content.text"),
                    arguments("{\"type\":1,\"to\":2,\"content\":{\"text\":\"x\",\"at_user_ids\":5}}", ErrorCode.INVALID_FIELD, "content.at_user_ids"),
                    arguments("{\"type\":1,\"to\":2,\"content\":{\"text\":\"x\",\"at_user_ids\":[1,\"two\"]}}", ErrorCode.INVALID_FIELD, "content.at_user_ids[1]"),
                    arguments("{\"type\":1,\"to\":2,\"content\":{\"text\":\"x\",\"at_all\":\"yes\"}}", ErrorCode.INVALID_FIELD, "content.at_all"),
                    arguments("{\"type\":1,\"to\":2,\"message_id\":123,\"content\":{\"text\":\"x\"}}", ErrorCode.INVALID_FIELD, "message_id"),
                    arguments("{\"type\":4,\"to\":2,\"content\":{\"width\":4294967296}}", ErrorCode.INVALID_FIELD, "content.width"),
                    arguments("{\"type\":4,\"to\":2,\"content\":{\"url\":{}}}", ErrorCode.INVALID_FIELD, "content.url"),
                    arguments("{\"type\":7,\"to\":2,\"content\":{\"file_size\":-1}}", ErrorCode.INVALID_FIELD, "content.file_size"),
                    arguments("{\"type\":8,\"to\":2,\"content\":{\"latitude\":\"52\"}}", ErrorCode.INVALID_FIELD, "content.latitude"),
                    arguments("{\"type\":8,\"to\":2,\"content\":{\"latitude\":1" + "0".repeat(400) + "}}", ErrorCode.INVALID_FIELD, "content.latitude"),
                    arguments("{\"type\":8,\"to\":2,\"content\":{\"longitude\":1e400}}", ErrorCode.INVALID_FIELD, "content.longitude"),
                    arguments("{\"type\":9,\"to\":2,\"content\":{\"user_id\":1.5}}", ErrorCode.INVALID_FIELD, "content.user_id"),
                    arguments("{\"type\":10,\"to\":2,\"content\":{\"data\":5}}", ErrorCode.INVALID_FIELD, "content.data"),
                    // receipts, sync, history
                    arguments("{\"type\":31,\"content\":{\"seq\":1}}", ErrorCode.MISSING_FIELD, "content.conversation_id"),
                    arguments("{\"type\":31,\"content\":{\"conversation_id\":\"p:1:2\"}}", ErrorCode.MISSING_FIELD, "content.seq"),
                    arguments("{\"type\":31,\"content\":{\"conversation_id\":\"p:1:2\",\"seq\":1.5}}", ErrorCode.INVALID_FIELD, "content.seq"),
                    arguments("{\"type\":31,\"conversation_id\":\"p:1:2\",\"seq\":2.5}", ErrorCode.INVALID_FIELD, "seq"),
                    arguments("{\"type\":31,\"content\":{\"conversation_id\":7,\"seq\":1}}", ErrorCode.INVALID_FIELD, "content.conversation_id"),
                    arguments("{\"type\":32,\"content\":{\"seq\":1}}", ErrorCode.MISSING_FIELD, "content.conversation_id"),
                    arguments("{\"type\":32,\"content\":{\"conversation_id\":\"p:1:2\",\"seq\":-3}}", ErrorCode.INVALID_FIELD, "content.seq"),
                    arguments("{\"type\":32,\"content\":[]}", ErrorCode.INVALID_FIELD, "content"),
                    arguments("{\"type\":33}", ErrorCode.MISSING_FIELD, "to"),
                    arguments("{\"type\":33,\"to\":2,\"content\":{\"typing\":1}}", ErrorCode.INVALID_FIELD, "content.typing"),
                    arguments("{\"type\":34,\"content\":{\"seq\":1}}", ErrorCode.MISSING_FIELD, "content.conversation_id"),
                    arguments("{\"type\":40,\"content\":{\"known\":[]}}", ErrorCode.INVALID_FIELD, "content.known"),
                    arguments("{\"type\":40,\"content\":{\"known\":{\"p:1:2\":-1}}}", ErrorCode.INVALID_FIELD, "content.known.p:1:2"),
                    arguments("{\"type\":41,\"content\":{}}", ErrorCode.MISSING_FIELD, "content.conversation_id"),
                    arguments("{\"type\":41,\"content\":{\"conversation_id\":\"g:1\",\"limit\":-1}}", ErrorCode.INVALID_FIELD, "content.limit"),
                    arguments("{\"type\":42}", ErrorCode.MISSING_FIELD, "content.conversation_id"),
                    arguments("{\"type\":42,\"content\":{\"conversation_id\":\"g:1\",\"before_seq\":\"9\"}}", ErrorCode.INVALID_FIELD, "content.before_seq"),
                    arguments("{\"type\":50,\"content\":{\"user_ids\":[1,-2]}}", ErrorCode.INVALID_FIELD, "content.user_ids[1]"),
                    arguments("{\"type\":99,\"timestamp\":\"now\"}", ErrorCode.INVALID_FIELD, "timestamp"),
                    arguments("{\"type\":99,\"timestamp\":" + digits400 + "}", ErrorCode.INVALID_FIELD, "timestamp"));
        }

        @ParameterizedTest
        @MethodSource("badFrames")
        void isRefusedWithTheRightCode(String text, ErrorCode code, String field) {
            assertThatThrownBy(() -> decode(text))
                    .isInstanceOfSatisfying(CourierException.class, e -> {
                        assertThat(e.code()).isEqualTo(code);
                        assertThat(e.field()).isEqualTo(field);
                        assertThat(e.getMessage()).isNotBlank();
                        if (field != null) {
                            assertThat(e.getMessage()).contains(field);
                        }
                    });
        }

        @Test
        void unsupportedTypesAreNamed() {
            assertThatThrownBy(() -> decode("{\"type\":7777}")).hasMessageContaining("7777");
            assertThatThrownBy(() -> decode("{\"type\":61}")).hasMessageContaining("61");
            assertThatThrownBy(() -> decode("{\"type\":" + "9".repeat(400) + "}"))
                    .isInstanceOf(CourierException.class)
                    .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
        }

        @Test
        void mangledFramesOnlyEverFailWithCourierException() {
            String[] seeds = {
                    "{\"type\":1,\"request_id\":7,\"message_id\":\"m\",\"to\":42,\"content\":{\"text\":\"hi\",\"at_user_ids\":[3],\"at_all\":true}}",
                    "{\"type\":10,\"group_id\":3,\"content\":{\"type\":\"p\",\"data\":{\"a\":[1,{\"b\":2.5e3}]}}}",
                    "{\"type\":40,\"content\":{\"known\":{\"p:1:2\":5}}}",
                    "{\"type\":8,\"to\":1,\"content\":{\"latitude\":-1.5,\"longitude\":2e10}}",
                    "{\"type\":99,\"timestamp\":1700000000000}",
            };
            String alphabet = "{}[]\":,-.0123456789eE+tfn\\ u\u0000\uD800";
            Random random = new Random(42);
            for (int i = 0; i < 20_000; i++) {
                StringBuilder text = new StringBuilder(seeds[random.nextInt(seeds.length)]);
                int edits = 1 + random.nextInt(4);
                for (int k = 0; k < edits && !text.isEmpty(); k++) {
                    int at = random.nextInt(text.length());
                    switch (random.nextInt(3)) {
                        case 0 -> text.deleteCharAt(at);
                        case 1 -> text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                        default -> text.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    }
                }
                String frame = text.toString();
                try {
                    decode(frame);
                } catch (CourierException expected) {
                    assertThat(expected.code()).as(frame).isNotEqualTo(ErrorCode.BAD_REQUEST);
                } catch (Throwable other) {
                    throw new AssertionError("decode(" + frame + ") threw " + other, other);
                }
            }
        }
    }
}
