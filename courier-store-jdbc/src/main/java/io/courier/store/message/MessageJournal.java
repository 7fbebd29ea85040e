package io.courier.store.message;

import io.courier.core.message.StoredMessage;
import io.courier.protocol.v1.Content;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Append-only files of committed message batches, one record per batch, in commit order. A record
 * is its payload's length, the payload's CRC-32C and the payload (the batch's messages). Files are
 * numbered segments: the writer appends to the newest, starts a new one when it is full, and older
 * ones are deleted once the database has stored everything they hold.
 *
 * <p>A record is written with one {@code write} and no {@code fsync}: once it returns, the batch is
 * in the operating system's page cache and survives the process being killed, which is what the
 * embedded database's own per-commit store promises (not a power cut). A crash in the middle of a
 * write leaves a torn last record, which {@link #recover} recognises by its length or checksum and
 * drops: its batch was never acknowledged.
 *
 * @implNote Not thread-safe except {@link #deleteUpTo}: one writer thread appends and rotates.
 */
final class MessageJournal implements AutoCloseable {
    private static final String SUFFIX = ".journal";
    private static final int HEADER = 8;
    /** Far above any batch; a larger length can only be a torn or foreign header. */
    private static final int MAX_RECORD = 256 << 20;

    private final Path dir;
    private final long segmentBytes;
    private FileChannel current;
    private long currentNumber;
    private long currentSize;

    private MessageJournal(Path dir, long segmentBytes) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
    }

    /** Opens the journal in {@code dir} (created if absent); call {@link #recover} next. */
    static MessageJournal open(Path dir, long segmentBytes) throws IOException {
        Files.createDirectories(dir);
        return new MessageJournal(dir, segmentBytes);
    }

    /**
     * Every complete batch of every existing segment, oldest first; then starts a new segment after
     * them. The segments read stay until {@link #deleteUpTo} the number this returns.
     *
     * @throws IllegalStateException when a segment other than the newest is damaged: its later
     *         batches were acknowledged and cannot be skipped
     */
    Recovered recover() throws IOException {
        List<Long> numbers = segments();
        List<List<StoredMessage>> batches = new ArrayList<>();
        for (int i = 0; i < numbers.size(); i++) {
            boolean newest = i == numbers.size() - 1;
            Path file = segment(numbers.get(i));
            if (!read(Files.readAllBytes(file), batches) && !newest) {
                throw new IllegalStateException("The message journal segment " + file + " is damaged before its end,"
                        + " and later segments follow it; refusing to start without the messages after the damage");
            }
        }
        long last = numbers.isEmpty() ? 0 : numbers.getLast();
        startSegment(last + 1);
        return new Recovered(batches, last);
    }

    record Recovered(List<List<StoredMessage>> batches, long lastSegment) {
    }

    /** Appends one batch; it survives a kill of the process once this returns. */
    void append(List<StoredMessage> batch) throws IOException {
        byte[] payload = encode(batch);
        CRC32C crc = new CRC32C();
        crc.update(payload);
        ByteBuffer record = ByteBuffer.allocate(HEADER + payload.length);
        record.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
        while (record.hasRemaining()) {
            current.write(record);
        }
        currentSize += HEADER + payload.length;
    }

    /** When the current segment is full: starts the next and returns the full one's number, else -1. */
    long rotateIfFull() throws IOException {
        return currentSize < segmentBytes ? -1 : rotate();
    }

    /** Starts the next segment; returns the number of the one it closed. */
    long rotate() throws IOException {
        long closed = currentNumber;
        current.close();
        startSegment(closed + 1);
        return closed;
    }

    /** Deletes the segments numbered up to {@code number}: the database has stored all they hold. */
    void deleteUpTo(long number) throws IOException {
        for (long n : segments()) {
            if (n <= number) {
                Files.deleteIfExists(segment(n));
            }
        }
    }

    /** The segment now being written. */
    long currentSegment() {
        return currentNumber;
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            current.close();
        }
    }

    private void startSegment(long number) throws IOException {
        current = FileChannel.open(segment(number), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        currentNumber = number;
        currentSize = 0;
    }

    private List<Long> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(SUFFIX))
                    .map(name -> Long.parseLong(name.substring(0, name.length() - SUFFIX.length())))
                    .sorted()
                    .toList();
        }
    }

    private Path segment(long number) {
        return dir.resolve(String.format("%020d%s", number, SUFFIX));
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
