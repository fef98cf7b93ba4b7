package switchboard.pbx;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.QueueCallerJoinEvent;
import org.asteriskjava.manager.event.QueueCallerLeaveEvent;
import org.asteriskjava.manager.event.QueueEntryEvent;
import org.asteriskjava.manager.event.QueueMemberEvent;
import org.asteriskjava.manager.event.QueueMemberPausedEvent;

/**
 * The queues as the callback governor needs them: which members are free, and how long inbound callers wait.
 * Written by the link actor (events in order), read by the governor from another thread: concurrent maps only.
 * Member status is Asterisk's device state (1 = not in use); a paused member is never free. Callbacks waiting for
 * a CSR ({@code sbcb-} channels) are not inbound callers.
 */
final class QueueWatch {
  private record Member(int status, boolean paused) {}

  private final Map<String, Map<String, Member>> members = new ConcurrentHashMap<>();
  private final Map<String, Instant> waitingSince = new ConcurrentHashMap<>();

  void onEvent(ManagerEvent e) {
    onEvent(e, null);
  }

  /** {@code now}: when a caller joined; null = the clock, read only for a join. */
  private void onEvent(ManagerEvent e, Instant now) {
    if (e instanceof QueueMemberEvent m) { // also QueueMemberStatus
      if (m.getQueue() == null || m.getInterface() == null) return;
      members.computeIfAbsent(m.getQueue(), q -> new ConcurrentHashMap<>())
          .put(m.getInterface(), new Member(m.getStatus() == null ? 0 : m.getStatus(), Boolean.TRUE.equals(m.getPaused())));
    } else if (e instanceof QueueMemberPausedEvent p) {
      if (p.getQueue() == null || p.getInterface() == null) return;
      var q = members.computeIfAbsent(p.getQueue(), k -> new ConcurrentHashMap<>());
      var old = q.get(p.getInterface());
      q.put(p.getInterface(), new Member(old == null ? 0 : old.status(), Boolean.TRUE.equals(p.getPaused())));
    } else if (e instanceof QueueCallerJoinEvent j) {
      if (j.getUniqueId() != null && !j.getUniqueId().startsWith(AmiCallbackPbx.CHANNEL_PREFIX)) waitingSince.put(j.getUniqueId(), now == null ? Instant.now() : now);
    } else if (e instanceof QueueCallerLeaveEvent l) {
      if (l.getUniqueId() != null) waitingSince.remove(l.getUniqueId());
    }
  }

  /** After a resync: the QueueStatus answer replaces what we knew (members and waiting callers). */
  void reset(List<? extends ManagerEvent> queueStatus, Instant now) {
    members.clear();
    waitingSince.clear();
    for (var e : queueStatus) {
      if (e instanceof QueueEntryEvent q && q.getUniqueId() != null && !q.getUniqueId().startsWith(AmiCallbackPbx.CHANNEL_PREFIX)) {
        waitingSince.put(q.getUniqueId(), now.minusSeconds(q.getWait() == null ? 0 : q.getWait()));
      } else {
        onEvent(e, now);
      }
    }
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
    for (var t : waitingSince.values()) if (oldest == null || t.isBefore(oldest)) oldest = t;
    return oldest == null ? Duration.ZERO : Duration.between(oldest, now);
  }
}
