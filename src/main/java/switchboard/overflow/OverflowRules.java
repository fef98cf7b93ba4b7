package switchboard.overflow;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import switchboard.common.DecisionLogic;

/**
 * Which waiting callers of a queue should move now. Pure: the queue as it is, its policy and what was already
 * moved go in; the moves come out. Rules against flapping: a caller leaves a queue by overflow at most once (the
 * caller's uniqueid and the queue); a caller whose member started ringing less than {@code ringGrace} ago stays —
 * the CSR may be reaching for the phone — and is reconsidered once the ring is older. Rate limits are the
 * actor's.
 */
@DecisionLogic
public final class OverflowRules {
    public enum Reason {
        WAIT,
        TOO_MANY_WAITING,
        NO_MEMBER_AVAILABLE
    }

    public record Move(QueueView.Caller caller, String fromQueue, OverflowPolicy.Destination to, Reason reason) {}

    private final Duration ringGrace;

    public OverflowRules(Duration ringGrace) {
        this.ringGrace = ringGrace;
    }

    /** {@code moved}: keys ({@link #key}) of callers already moved out of a queue. */
    public List<Move> decide(QueueView q, OverflowPolicy p, Instant now, ZoneId zone, Set<String> moved) {
        var out = new ArrayList<Move>();
        if (p == null || !p.enabled() || q.waiting().isEmpty()) return out;
        if (p.hours() != null && !p.hours().contains(now.atZone(zone).toLocalTime())) return out;
        boolean noMember = p.whenNoMemberAvailable() && !q.anyMemberAvailable();
        for (int i = 0; i < q.waiting().size(); i++) {
            var c = q.waiting().get(i);
            int position = i + 1; // longest waiter first, as the queue serves them
            if (moved.contains(key(c.uniqueId(), q.queue()))) continue;
            Reason why = null;
            if (noMember) why = Reason.NO_MEMBER_AVAILABLE;
            else if (p.maxWait() != null && c.waited(now).compareTo(p.maxWait()) >= 0) why = Reason.WAIT;
            else if (p.maxWaiting() > 0 && position > p.maxWaiting()) why = Reason.TOO_MANY_WAITING;
            if (why == null) continue;
            if (c.ringingSince() != null
                    && Duration.between(c.ringingSince(), now).compareTo(ringGrace) < 0) continue;
            out.add(new Move(c, q.queue(), p.to(), why));
        }
        return out;
    }

    public static String key(String uniqueId, String queue) {
        return uniqueId + "@" + queue;
    }
}
