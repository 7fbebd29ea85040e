package io.courier.gateway.tcp;

import com.google.protobuf.CodedOutputStream;
import io.courier.protocol.v1.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

import java.io.IOException;

/**
 * Writes an Envelope as a native frame, the 4-byte big-endian length and the protobuf bytes, into
 * one pooled buffer of exactly that size. Netty's ProtobufEncoder followed by a LengthFieldPrepender
 * make an intermediate buffer and a second one for the prefix: about 2.5 times the cost per push
 * (JMH, docs/microbenchmarks.md).
 */
@ChannelHandler.Sharable
public final class FramedEnvelopeEncoder extends MessageToByteEncoder<Envelope> {
    public FramedEnvelopeEncoder() {
        super(Envelope.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Envelope envelope, boolean preferDirect) {
        return ctx.alloc().ioBuffer(4 + envelope.getSerializedSize());
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Envelope envelope, ByteBuf out) throws IOException {
        int size = envelope.getSerializedSize();
        out.writeInt(size);
        out.ensureWritable(size);
        CodedOutputStream body = CodedOutputStream.newInstance(out.nioBuffer(out.writerIndex(), size));
        envelope.writeTo(body);
        body.checkNoSpaceLeft();
        out.writerIndex(out.writerIndex() + size);
    }
}
