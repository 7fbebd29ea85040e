package io.courier.store.message;

import com.google.protobuf.util.JsonFormat;
import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.Image;
import io.courier.protocol.v1.Text;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Stored content reads back as it was written, and is protobuf JSON that protobuf's own parser reads. */
class ContentJsonTest {
    private static final List<Content> SAMPLES = List.of(
            text(Text.newBuilder().setText("hello")),
            text(Text.newBuilder().setText("")),
            text(Text.newBuilder().setText("quotes \" back\\slash \n new line \t tab \u0001 control </script> & = '")),
            text(Text.newBuilder().setText("小明的世界 🚀 Ünïcødé")),
            text(Text.newBuilder().setText("@bob @carol").addAtUserIds(2).addAtUserIds(3).addAtUserIds(-1L)),
            text(Text.newBuilder().setText("@all").setAtAll(true)),
            Content.newBuilder().setImage(Image.newBuilder().setUrl("https://example.org/a.png").setWidth(10)).build());

    @Test
    void everyKindOfContentRoundTripsAndIsProtobufJson() throws Exception {
        for (Content c : SAMPLES) {
            String json = ContentJson.write(c);
            assertThat(ContentJson.read(json)).as(json).isEqualTo(c);
            Content.Builder parsed = Content.newBuilder();
            JsonFormat.parser().merge(json, parsed);
            assertThat(parsed.build()).as(json).isEqualTo(c);
            // What protobuf's own printer writes reads back the same way (rows written before the fast path).
            assertThat(ContentJson.read(JsonFormat.printer().preservingProtoFieldNames().print(c))).isEqualTo(c);
        }
    }

    private static Content text(Text.Builder text) {
        return Content.newBuilder().setText(text).build();
    }
}
