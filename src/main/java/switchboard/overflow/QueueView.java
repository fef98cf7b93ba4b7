package switchboard.overflow;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One PBX queue as it is right now: the callers waiting (longest first) and the members. Built by the PBX adapter
 * from the queue events (QueueCallerJoin/Leave, AgentCalled/RingNoAnswer/Connect, QueueMemberStatus, QueueStatus
 * on a resync); immutable.
 */
public record QueueView(String queue, List<Caller> waiting, List<Member> members, Stats stats) {
    public enum MemberState {
        /** Not in use: can take a call now. */
        FREE,
        /** Ringing (for one of this queue's callers, or another call). */
        RINGING,
        /** On a call. */
        BUSY,
        PAUSED,
        /** Unreachable, unregistered or unknown to the PBX. */
        UNAVAILABLE
    }

    /**
     * A waiting caller. {@code linkedId}: the call (the caller's channel is its first); {@code ringingSince}: when a
     * member started ringing for this caller (null: nobody rings for them now).
     */
    public record Caller(
            String uniqueId,
            String linkedId,
            String channel,
            String callerIdNum,
            Instant joinedAt,
            int position,
            Instant ringingSince) {
        public Duration waited(Instant now) {
            return Duration.between(joinedAt, now).isNegative() ? Duration.ZERO : Duration.between(joinedAt, now);
        }
    }

    public record Member(String iface, String name, MemberState state) {
        /** Could take this queue's next call: free, or ringing (for one of our callers) and not paused. */
        public boolean available() {
            return state == MemberState.FREE || state == MemberState.RINGING;
        }
    }

    /** Since the node started: callers answered (within the service-level target), abandoned, moved out. */
    public record Stats(long answered, long answeredWithinTarget, long abandoned, long movedOut) {
        public static final Duration SERVICE_LEVEL_TARGET = Duration.ofSeconds(20);

        /** Answered within the target as a share of answered + abandoned; null before the first such call. */
        public Double serviceLevel() {
            long n = answered + abandoned;
            return n == 0 ? null : (double) answeredWithinTarget / n;
        }
    }

    public long free() {
        return members.stream().filter(m -> m.state() == MemberState.FREE).count();
    }

    public boolean anyMemberAvailable() {
        return members.stream().anyMatch(Member::available);
    }

    public Duration longestWait(Instant now) {
        return waiting.isEmpty() ? Duration.ZERO : waiting.get(0).waited(now);
    }
}
