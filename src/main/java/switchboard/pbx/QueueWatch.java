package switchboard.pbx;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.asteriskjava.manager.event.AgentCalledEvent;
import org.asteriskjava.manager.event.AgentConnectEvent;
import org.asteriskjava.manager.event.AgentRingNoAnswerEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.QueueCallerAbandonEvent;
import org.asteriskjava.manager.event.QueueCallerJoinEvent;
import org.asteriskjava.manager.event.QueueCallerLeaveEvent;
import org.asteriskjava.manager.event.QueueEntryEvent;
import org.asteriskjava.manager.event.QueueMemberEvent;
import org.asteriskjava.manager.event.QueueMemberPausedEvent;
import switchboard.overflow.QueueView;

/**
 * The live queues: who waits where (since when, and whether a member rings for them right now), the members and
 * their state, and answered/abandoned counts for the service level. Used by the callback governor (free CSRs,
 * inbound waits) and by overflow ({@link #views}). Written by the link actor (events in order), read from other
 * threads: concurrent maps only, snapshots built on read. Member status is Asterisk's device state; a paused
 * member is never free. Callbacks waiting for a CSR ({@code sbcb-} channels) are not inbound callers.
 */
final class QueueWatch {
    private record Member(int status, boolean paused, String name) {}

    /** A caller in a queue; {@code ringing}: members ringing for them now, and since when. */
    private record Waiting(
            String queue,
            String uniqueId,
            String linkedId,
            String channel,
            String callerIdNum,
            String did,
            Instant joinedAt,
            Map<String, Instant> ringing) {}

    private static final class Counts {
        final AtomicLong answered = new AtomicLong();
        final AtomicLong answeredWithinTarget = new AtomicLong();
        final AtomicLong abandoned = new AtomicLong();
        final AtomicLong movedOut = new AtomicLong();
    }

    private final Map<String, Map<String, Member>> members = new ConcurrentHashMap<>();
    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
    private final Map<String, Counts> counts = new ConcurrentHashMap<>();
    /** Callers we are moving out of a queue (uniqueid@queue): their leaving is a move, not an abandon. */
    private final Set<String> moving = ConcurrentHashMap.newKeySet();

    void onEvent(ManagerEvent e) {
        onEvent(e, null);
    }

    private static Instant at(Instant now) {
        return now == null ? Instant.now() : now;
    }

    /** {@code now}: the time to record; null = the clock, read only when something is recorded. */
    private void onEvent(ManagerEvent e, Instant now) {
        if (e instanceof QueueMemberEvent m) { // also QueueMemberStatus
            if (m.getQueue() == null || m.getInterface() == null) return;
            String name = m.getMemberName() != null ? m.getMemberName() : m.getName();
            members.computeIfAbsent(m.getQueue(), q -> new ConcurrentHashMap<>())
                    .put(
                            m.getInterface(),
                            new Member(
                                    m.getStatus() == null ? 0 : m.getStatus(),
                                    Boolean.TRUE.equals(m.getPaused()),
                                    name));
        } else if (e instanceof QueueMemberPausedEvent p) {
            if (p.getQueue() == null || p.getInterface() == null) return;
            var q = members.computeIfAbsent(p.getQueue(), k -> new ConcurrentHashMap<>());
            var old = q.get(p.getInterface());
            q.put(
                    p.getInterface(),
                    new Member(
                            old == null ? 0 : old.status(),
                            Boolean.TRUE.equals(p.getPaused()),
                            old == null ? p.getMemberName() : old.name()));
        } else if (e instanceof QueueCallerJoinEvent j) {
            if (j.getUniqueId() == null
                    || j.getQueue() == null
                    || j.getUniqueId().startsWith(AmiCallbackPbx.CHANNEL_PREFIX)) return;
            waiting.put(
                    j.getUniqueId(),
                    new Waiting(
                            j.getQueue(),
                            j.getUniqueId(),
                            j.getLinkedId() == null ? j.getUniqueId() : j.getLinkedId(),
                            j.getChannel(),
                            j.getCallerIdNum(),
                            didOf(j),
                            at(now),
                            new ConcurrentHashMap<>()));
        } else if (e instanceof QueueCallerAbandonEvent a) {
            if (a.getUniqueId() == null
                    || a.getQueue() == null
                    || a.getUniqueId().startsWith(AmiCallbackPbx.CHANNEL_PREFIX)) return;
            var c = counts.computeIfAbsent(a.getQueue(), q -> new Counts());
            // Our own Redirect out of Queue() is logged as an abandon by Asterisk; it is a move.
            if (moving.remove(a.getUniqueId() + "@" + a.getQueue())) c.movedOut.incrementAndGet();
            else c.abandoned.incrementAndGet();
        } else if (e instanceof QueueCallerLeaveEvent l) {
            if (l.getUniqueId() != null) waiting.remove(l.getUniqueId());
        } else if (e instanceof AgentCalledEvent c) {
            var w = c.getUniqueId() == null ? null : waiting.get(c.getUniqueId());
            if (w != null && c.getInterface() != null) w.ringing().put(c.getInterface(), at(now));
        } else if (e instanceof AgentRingNoAnswerEvent r) {
            var w = r.getUniqueId() == null ? null : waiting.get(r.getUniqueId());
            if (w != null && r.getInterface() != null) w.ringing().remove(r.getInterface());
        } else if (e instanceof AgentConnectEvent c) {
            if (c.getUniqueId() == null
                    || c.getUniqueId().startsWith(AmiCallbackPbx.CHANNEL_PREFIX)
                    || c.getQueue() == null) return;
            var w = waiting.get(c.getUniqueId());
            if (w != null) w.ringing().clear();
            var n = counts.computeIfAbsent(c.getQueue(), q -> new Counts());
            n.answered.incrementAndGet();
            Long hold = c.getHoldTime();
            if (hold != null && hold <= QueueView.Stats.SERVICE_LEVEL_TARGET.toSeconds())
                n.answeredWithinTarget.incrementAndGet();
        }
    }

    /** The dialled number our dialplan stamped on the call (SB_DID, from manager.conf channelvars), else its extension. */
    private static String didOf(ManagerEvent e) {
        var vars = e.getChannelVariables();
        if (vars != null) {
            for (var v : vars.entrySet())
                if (v.getKey() != null
                        && v.getKey().equalsIgnoreCase("SB_DID")
                        && v.getValue() != null
                        && !v.getValue().isBlank()) return v.getValue();
        }
        return e.getExten();
    }

    /** After a resync: the QueueStatus answer replaces what we knew (members and waiting callers). */
    void reset(List<? extends ManagerEvent> queueStatus, Instant now) {
        members.clear();
        waiting.clear();
        for (var e : queueStatus) {
            if (e instanceof QueueEntryEvent q
                    && q.getUniqueId() != null
                    && !q.getUniqueId().startsWith(AmiCallbackPbx.CHANNEL_PREFIX)) {
                waiting.put(
                        q.getUniqueId(),
                        new Waiting(
                                q.getQueue(),
                                q.getUniqueId(),
                                q.getUniqueId(),
                                q.getChannel(),
                                q.getCallerIdNum(),
                                null,
                                now.minusSeconds(q.getWait() == null ? 0 : q.getWait()),
                                new ConcurrentHashMap<>()));
            } else {
                onEvent(e, now);
            }
        }
    }

    /** We are about to move this caller out of this queue (see the abandon count). */
    void moving(String uniqueId, String queue) {
        moving.add(uniqueId + "@" + queue);
    }

    /** The channel of a waiting caller (a Redirect names it), by uniqueid; null when they are not waiting. */
    Waiting waitingCaller(String uniqueId) {
        return waiting.get(uniqueId);
    }

    int free(String queue) {
        var q = members.get(queue);
        if (q == null) return -1;
        int n = 0;
        for (var m : q.values()) if (m.status() == 1 && !m.paused()) n++;
        return n;
    }

    Duration longestWait(Instant now) {
        Instant oldest = null;
        for (var w : waiting.values()) if (oldest == null || w.joinedAt().isBefore(oldest)) oldest = w.joinedAt();
        return oldest == null ? Duration.ZERO : Duration.between(oldest, now);
    }

    /** Every queue we know of (members or callers), as it is now. */
    List<QueueView> views() {
        var names = new java.util.TreeSet<String>(members.keySet());
        for (var w : waiting.values()) names.add(w.queue());
        names.addAll(counts.keySet());
        var out = new ArrayList<QueueView>(names.size());
        for (String q : names) out.add(view(q));
        return out;
    }

    private QueueView view(String queue) {
        var callers = new ArrayList<QueueView.Caller>();
        for (var w : waiting.values()) {
            if (!w.queue().equals(queue)) continue;
            Instant ringingSince = null;
            for (var t : w.ringing().values()) if (ringingSince == null || t.isBefore(ringingSince)) ringingSince = t;
            callers.add(new QueueView.Caller(
                    w.uniqueId(), w.linkedId(), w.channel(), w.callerIdNum(), w.joinedAt(), 0, ringingSince));
        }
        callers.sort(Comparator.comparing(QueueView.Caller::joinedAt).thenComparing(QueueView.Caller::uniqueId));
        var positioned = new ArrayList<QueueView.Caller>(callers.size());
        for (int i = 0; i < callers.size(); i++) {
            var c = callers.get(i);
            positioned.add(new QueueView.Caller(
                    c.uniqueId(), c.linkedId(), c.channel(), c.callerIdNum(), c.joinedAt(), i + 1, c.ringingSince()));
        }
        var ms = new ArrayList<QueueView.Member>();
        var q = members.get(queue);
        if (q != null)
            for (var m : new java.util.TreeMap<>(q).entrySet())
                ms.add(new QueueView.Member(m.getKey(), m.getValue().name(), state(m.getValue())));
        var n = counts.get(queue);
        var stats = n == null
                ? new QueueView.Stats(0, 0, 0, 0)
                : new QueueView.Stats(
                        n.answered.get(), n.answeredWithinTarget.get(), n.abandoned.get(), n.movedOut.get());
        return new QueueView(queue, List.copyOf(positioned), List.copyOf(ms), stats);
    }

    /** Asterisk device state (include/asterisk/devicestate.h) and pause → what overflow cares about. */
    static QueueView.MemberState state(Member m) {
        if (m.paused()) return QueueView.MemberState.PAUSED;
        return switch (m.status()) {
            case 1 -> QueueView.MemberState.FREE; // NOT_INUSE
            case 2, 3, 7, 8 -> QueueView.MemberState.BUSY; // INUSE, BUSY, RINGINUSE, ONHOLD
            case 6 -> QueueView.MemberState.RINGING;
            default -> QueueView.MemberState.UNAVAILABLE; // 0 UNKNOWN, 4 INVALID, 5 UNAVAILABLE
        };
    }
}
