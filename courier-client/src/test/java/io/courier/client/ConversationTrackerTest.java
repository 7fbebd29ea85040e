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
        assertThat(seqs(tracker.pulled(C, List.of(m(1), m(2), m(3)), false, m -> false))).containsExactly(3L);
    }

    @Test
    void messagesAfterAGapWaitForThePullThatFillsIt() {
        tracker.offer(m(1));
        assertThat(tracker.offer(m(4))).isEmpty();
        assertThat(tracker.offer(m(5))).isEmpty();
        assertThat(tracker.hasGap(C)).isTrue();
        assertThat(tracker.known(C)).isEqualTo(1);

        assertThat(seqs(tracker.pulled(C, List.of(m(2), m(3), m(4)), false, m -> false))).containsExactly(2L, 3L, 4L, 5L);
        assertThat(tracker.hasGap(C)).isFalse();
    }

    @Test
    void aPagedPullHandsOutEachPageAndKeepsTheRestWaiting() {
        tracker.offer(m(1));
        tracker.offer(m(6));
        assertThat(seqs(tracker.pulled(C, List.of(m(2), m(3)), true, m -> false))).containsExactly(2L, 3L);
        assertThat(tracker.hasGap(C)).isTrue();
        assertThat(seqs(tracker.pulled(C, List.of(m(4), m(5), m(6)), false, m -> false))).containsExactly(4L, 5L, 6L);
    }

    @Test
    void seqsTheServerWillNotShowAreSkippedOnceThePullHasNoMore() {
        tracker.offer(m(1));
        tracker.offer(m(9)); // 2..8 happened while this user was not in the group
        assertThat(seqs(tracker.pulled(C, List.of(m(9)), false, m -> false))).containsExactly(9L);
        assertThat(tracker.known(C)).isEqualTo(9);
    }

    @Test
    void aPullAnsweredBeforeLaterMessagesWereStoredSkipsNothingAboveWhatItShowed() {
        tracker.offer(m(1));
        tracker.offer(m(6)); // pushed after the server read the pull's page; 2..5 are on their way
        assertThat(tracker.pulled(C, List.of(), false, m -> false)).isEmpty();
        assertThat(tracker.hasGap(C)).isTrue();
        assertThat(seqs(tracker.pulled(C, List.of(m(2), m(3)), false, m -> false))).containsExactly(2L, 3L);
        assertThat(tracker.hasGap(C)).isTrue();
        assertThat(tracker.known(C)).isEqualTo(3);
        assertThat(seqs(tracker.pulled(C, List.of(m(4), m(5), m(6)), false, m -> false))).containsExactly(4L, 5L, 6L);
        assertThat(tracker.hasGap(C)).isFalse();
    }

    @Test
    void ownSendsCountAsSeenButAreNotHandedOut() {
        tracker.offer(m(1));
        assertThat(tracker.sent(C, 2)).isEmpty();
        assertThat(seqs(tracker.offer(m(3)))).containsExactly(3L);

        assertThat(tracker.sent(C, 5)).isEmpty(); // 4 is someone else's, not here yet
        assertThat(tracker.hasGap(C)).isTrue();
        assertThat(seqs(tracker.pulled(C, List.of(m(4), m(5)), false, m -> false))).containsExactly(4L);
        assertThat(tracker.known(C)).isEqualTo(5);
    }

    @Test
    void ownSendsAPullShowsBeforeTheirAckAreNotHandedOut() {
        tracker.offer(m(1));
        tracker.offer(m(4));
        Message mineAt3 = m(3).toBuilder().setClientMsgId("mine").build();
        assertThat(seqs(tracker.pulled(C, List.of(m(2), mineAt3), false, x -> x.getClientMsgId().equals("mine"))))
                .containsExactly(2L, 4L);
        assertThat(tracker.sent(C, 3)).isEmpty(); // the ack, arriving later
        assertThat(tracker.known(C)).isEqualTo(4);
    }

    @Test
    void anOwnAckThatOvertakesAnEarlierPushInANewConversationDoesNotHideIt() {
        assertThat(tracker.sent(C, 2)).isEmpty(); // acked before the push of seq 1 (same commit)
        assertThat(tracker.hasGap(C)).isFalse();
        assertThat(seqs(tracker.offer(m(1)))).containsExactly(1L);
        assertThat(tracker.known(C)).isEqualTo(2);
        assertThat(seqs(tracker.offer(m(3)))).containsExactly(3L);
    }

    @Test
    void knownAllReportsWhatASyncShouldSend() {
        tracker.offer(m(3));
        tracker.sent("g:9", 1);
        tracker.sent("g:10", 12); // where g:10 starts is not known yet
        assertThat(tracker.knownAll()).containsEntry(C, 3L).containsEntry("g:9", 1L).hasSize(2);
    }
}
