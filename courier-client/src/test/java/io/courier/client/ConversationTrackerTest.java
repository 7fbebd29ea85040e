package io.courier.client;

import io.courier.protocol.v1.Message;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConversationTrackerTest {
    private static final String C = "p:1:2";
    private final ConversationTracker tracker = new ConversationTracker();

    private static Message m(long seq) {
        return Message.newBuilder().setConversationId(C).setSeq(seq).build();
    }

    private static List<Long> seqs(List<Message> messages) {
        return messages.stream().map(Message::getSeq).toList();
    }

    @Test
    void aNewConversationStartsAtItsFirstMessageAndHandsOutInOrder() {
        assertThat(seqs(tracker.offer(m(7)))).containsExactly(7L);
        assertThat(seqs(tracker.offer(m(8)))).containsExactly(8L);
        assertThat(tracker.known(C)).isEqualTo(8);
        assertThat(tracker.hasGap(C)).isFalse();
    }

    @Test
    void repeatsAreDroppedWhateverWayTheyCome() {
        tracker.offer(m(1));
        tracker.offer(m(2));
        assertThat(tracker.offer(m(2))).isEmpty();
        assertThat(tracker.offer(m(1))).isEmpty();
        assertThat(seqs(tracker.pulled(C, List.of(m(1), m(2), m(3)), false))).containsExactly(3L);
    }

    @Test
    void messagesAfterAGapWaitForThePullThatFillsIt() {
        tracker.offer(m(1));
        assertThat(tracker.offer(m(4))).isEmpty();
        assertThat(tracker.offer(m(5))).isEmpty();
        assertThat(tracker.hasGap(C)).isTrue();
        assertThat(tracker.known(C)).isEqualTo(1);

        assertThat(seqs(tracker.pulled(C, List.of(m(2), m(3), m(4)), false))).containsExactly(2L, 3L, 4L, 5L);
        assertThat(tracker.hasGap(C)).isFalse();
    }

    @Test
    void aPagedPullHandsOutEachPageAndKeepsTheRestWaiting() {
        tracker.offer(m(1));
        tracker.offer(m(6));
        assertThat(seqs(tracker.pulled(C, List.of(m(2), m(3)), true))).containsExactly(2L, 3L);
        assertThat(tracker.hasGap(C)).isTrue();
        assertThat(seqs(tracker.pulled(C, List.of(m(4), m(5), m(6)), false))).containsExactly(4L, 5L, 6L);
    }

    @Test
    void seqsTheServerWillNotShowAreSkippedOnceThePullHasNoMore() {
        tracker.offer(m(1));
        tracker.offer(m(9)); // 2..8 happened while this user was not in the group
        assertThat(seqs(tracker.pulled(C, List.of(), false))).containsExactly(9L);
        assertThat(tracker.known(C)).isEqualTo(9);
    }

    @Test
    void ownSendsCountAsSeenButAreNotHandedOut() {
        tracker.offer(m(1));
        assertThat(tracker.sent(C, 2)).isEmpty();
        assertThat(seqs(tracker.offer(m(3)))).containsExactly(3L);

        assertThat(tracker.sent(C, 5)).isEmpty(); // 4 is someone else's, not here yet
        assertThat(tracker.hasGap(C)).isTrue();
        assertThat(seqs(tracker.pulled(C, List.of(m(4), m(5)), false))).containsExactly(4L);
        assertThat(tracker.known(C)).isEqualTo(5);
    }

    @Test
    void knownAllReportsWhatASyncShouldSend() {
        tracker.offer(m(3));
        tracker.sent("g:9", 12);
        assertThat(tracker.knownAll()).containsEntry(C, 3L).containsEntry("g:9", 12L).hasSize(2);
    }
}
