package io.courier.store.upgrade;

import io.courier.core.message.StoredMessage;
import io.courier.protocol.v1.Content;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Reads the message journal of the releases that stored the embedded database in H2 ({@code
 * data/journal/*.journal}): the batches a killed server had acknowledged but H2 had not yet stored,
 * which an upgrade writes into the old database before it copies it ({@link H2Upgrade}). Nothing
 * writes a journal any more: the embedded database's own write-ahead log makes commits durable.
 *
 * <p>The format: numbered segments, each a sequence of records; a record is its payload's length,
 * the payload's CRC-32C and the payload (one batch). A torn last record of the newest segment was
 * never acknowledged and is dropped.
 */
final class LegacyJournal {
    static final String SUFFIX = ".journal";
    private static final int HEADER = 8;
    /** Far above any batch; a larger length can only be a torn or foreign header. */
    private static final int MAX_RECORD = 256 << 20;

    private LegacyJournal() {
    }

    /**
     * Every complete batch of every segment in {@code dir}, oldest first; none when there is no journal.
     *
     * @throws IllegalStateException when a segment other than the newest is damaged: its later
     *         batches were acknowledged and cannot be skipped
     */
    static List<List<StoredMessage>> read(Path dir) throws IOException {
        List<List<StoredMessage>> batches = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return batches;
        }
        List<Path> segments = segments(dir);
        for (int i = 0; i < segments.size(); i++) {
            boolean newest = i == segments.size() - 1;
            if (!read(Files.readAllBytes(segments.get(i)), batches) && !newest) {
                throw new IllegalStateException("The message journal segment " + segments.get(i) + " is damaged before its end,"
                        + " and later segments follow it; refusing to upgrade without the messages after the damage");
            }
        }
        return batches;
    }

    static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
    }

    /** One record in the journal's format: what the old server appended per batch (for tests of the upgrade). */
    static byte[] record(List<StoredMessage> batch) {
        byte[] payload = encode(batch);
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return ByteBuffer.allocate(HEADER + payload.length).putInt(payload.length).putInt((int) crc.getValue()).put(payload).array();
    }

    /** Adds the segment's complete records to {@code batches}; false when it ends in a damaged one. */
    private static boolean read(byte[] bytes, List<List<StoredMessage>> batches) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        while (in.remaining() >= HEADER) {
            int length = in.getInt();
            int checksum = in.getInt();
            if (length < 0 || length > MAX_RECORD || length > in.remaining()) {
                return false;
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes, in.position(), length);
            if ((int) crc.getValue() != checksum) {
                return false;
            }
            batches.add(decode(bytes, in.position(), length));
            in.position(in.position() + length);
        }
        return !in.hasRemaining();
    }

    private static byte[] encode(List<StoredMessage> batch) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(batch.size() * 160);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(batch.size());
            for (StoredMessage m : batch) {
                out.writeUTF(m.conversationId());
                out.writeLong(m.seq());
                out.writeLong(m.messageId());
                out.writeLong(m.senderId());
                out.writeLong(m.toUserId());
                out.writeLong(m.groupId());
                out.writeUTF(m.clientMsgId());
                byte[] content = m.content().toByteArray();
                out.writeInt(content.length);
                out.write(content);
                out.writeLong(m.createdAt());
                out.writeLong(m.recalledAt());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    private static List<StoredMessage> decode(byte[] bytes, int offset, int length) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, offset, length))) {
            int count = in.readInt();
            List<StoredMessage> batch = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String conversation = in.readUTF();
                long seq = in.readLong();
                long messageId = in.readLong();
                long sender = in.readLong();
                long to = in.readLong();
                long group = in.readLong();
                String clientMsgId = in.readUTF();
                Content content = Content.parseFrom(in.readNBytes(in.readInt()));
                batch.add(new StoredMessage(conversation, seq, messageId, sender, to, group, clientMsgId, content,
                        in.readLong(), in.readLong()));
            }
            return batch;
        } catch (IOException e) {
            // The checksum matched, so this is not a torn write but a format this code does not read.
            throw new IllegalStateException("A message journal record passed its checksum but cannot be read", e);
        }
    }
}
