package switchboard.lead;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandlerBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import switchboard.CborSerializable;

/**
 * One caller (tenant + E.164 number). Collects the caller's call outcomes and owns their recovery: a miss opens
 * it, further misses join it (one recovery, never two), and an answered call after it closes it as
 * {@link RecoveryStatus#GOT_THROUGH}.
 *
 * <p>Outcomes arrive at least once (from the {@code CallOutcomes} projection), so every command is idempotent on
 * its call id, and may arrive out of order across calls, so a miss older than an answered call opens nothing.
 */
public final class LeadEntity extends EventSourcedBehaviorWithEnforcedReplies<LeadEntity.Command, LeadEntity.Event, LeadEntity.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Lead");
  public static final List<String> TAGS = IntStream.range(0, 4).mapToObj(i -> "lead-" + i).collect(Collectors.toUnmodifiableList());
  /** How many recent call ids a lead remembers to drop redelivered outcomes. */
  static final int RECENT_CALLS = 50;

  // ---- protocol ----

  public sealed interface Command extends CborSerializable {}

  public record RecordMiss(String callId, LeadIdentity identity, LeadSource source, String reason, Instant missedAt, boolean voicemail, ActorRef<Ack> replyTo)
      implements Command {}

  public record RecordAnswer(String callId, LeadIdentity identity, LeadSource source, Instant answeredAt, ActorRef<Ack> replyTo) implements Command {}

  public record Get(ActorRef<State> replyTo) implements Command {}

  public record Ack(String leadId, String recoveryId, RecoveryStatus recoveryStatus) implements CborSerializable {}

  // ---- events ----

  public sealed interface Event extends CborSerializable {
    String leadId();
  }

  /** First contact: who this lead is and where they came from. */
  public record Identified(String leadId, LeadIdentity identity, LeadSource source, Instant at) implements Event {}

  public record RecoveryOpened(String leadId, String recoveryId, String callId, String reason, LeadSource source, Instant missedAt, boolean voicemail)
      implements Event {}

  /**
   * Another miss joins the open recovery. Outcomes of different calls can arrive out of order, so the recovery
   * always describes its earliest miss (reason, source, openedAt), whichever arrived first.
   */
  public record MissJoined(String leadId, String recoveryId, String callId, String reason, LeadSource source, Instant missedAt, boolean voicemail) implements Event {}

  /** A miss that is older than a call of theirs we answered: recorded, opens nothing. */
  public record StaleMissRecorded(String leadId, String callId, String reason, LeadSource source, Instant missedAt) implements Event {}

  public record GotThrough(String leadId, String recoveryId, String callId, LeadSource source, Instant answeredAt) implements Event {}

  public record AnsweredCallRecorded(String leadId, String callId, LeadSource source, Instant answeredAt) implements Event {}

  // ---- state ----

  public record Recovery(
      String recoveryId,
      RecoveryStatus status,
      String reason,
      LeadSource source,
      Instant openedAt,
      Instant lastMissAt,
      int missCount,
      boolean voicemail,
      List<String> callIds,
      Instant closedAt,
      String closedByCallId)
      implements CborSerializable {}

  public record State(
      String leadId,
      LeadIdentity identity,
      LeadSource firstSource,
      LeadSource lastSource,
      Instant firstSeenAt,
      Instant lastCallAt,
      int missedCalls,
      int answeredCalls,
      Instant lastAnsweredAt,
      List<String> recentCallIds,
      int recoveriesOpened,
      Recovery recovery)
      implements CborSerializable {

    static State empty(String leadId) {
      return new State(leadId, null, null, null, null, null, 0, 0, null, List.of(), 0, null);
    }

    public boolean known() {
      return identity != null;
    }

    public boolean hasOpenRecovery() {
      return recovery != null && recovery.status() == RecoveryStatus.OPEN;
    }

    /**
     * Applies an event. Outcomes of different calls can arrive out of order, so everything "first" and "last"
     * is decided by the PBX time of the call, not by arrival: the state is the same whatever the order.
     */
    State apply(Event e) {
      if (e instanceof Identified i) {
        return new State(leadId, compact(i.identity()), i.source(), i.source(), i.at(), i.at(), missedCalls, answeredCalls, lastAnsweredAt, recentCallIds, recoveriesOpened, recovery);
      } else if (e instanceof RecoveryOpened o) {
        var r = new Recovery(o.recoveryId(), RecoveryStatus.OPEN, word(o.reason()), o.source(), o.missedAt(), o.missedAt(), 1, o.voicemail(), List.of(o.callId()), null, null);
        return seen(o.callId(), o.missedAt(), o.source(), 1, 0, null, recoveriesOpened + 1, r);
      } else if (e instanceof MissJoined j) {
        var calls = new ArrayList<>(recovery.callIds());
        calls.add(j.callId());
        boolean earlier = j.missedAt().isBefore(recovery.openedAt());
        var r = new Recovery(recovery.recoveryId(), recovery.status(), earlier ? word(j.reason()) : recovery.reason(), earlier ? j.source() : recovery.source(),
            earlier ? j.missedAt() : recovery.openedAt(), later(recovery.lastMissAt(), j.missedAt()), recovery.missCount() + 1, recovery.voicemail() || j.voicemail(),
            List.copyOf(calls), null, null);
        return seen(j.callId(), j.missedAt(), j.source(), 1, 0, null, recoveriesOpened, r);
      } else if (e instanceof StaleMissRecorded m) {
        return seen(m.callId(), m.missedAt(), m.source(), 1, 0, null, recoveriesOpened, recovery);
      } else if (e instanceof GotThrough g) {
        var r = new Recovery(recovery.recoveryId(), RecoveryStatus.GOT_THROUGH, recovery.reason(), recovery.source(), recovery.openedAt(), recovery.lastMissAt(),
            recovery.missCount(), recovery.voicemail(), recovery.callIds(), g.answeredAt(), g.callId());
        return seen(g.callId(), g.answeredAt(), g.source(), 0, 1, g.answeredAt(), recoveriesOpened, r);
      } else if (e instanceof AnsweredCallRecorded a) {
        return seen(a.callId(), a.answeredAt(), a.source(), 0, 1, a.answeredAt(), recoveriesOpened, recovery);
      }
      throw new IllegalArgumentException("unknown event " + e);
    }

    private State seen(String callId, Instant at, LeadSource source, int missed, int answered, Instant answeredAt, int opened, Recovery r) {
      boolean first = firstSeenAt == null || at.isBefore(firstSeenAt);
      boolean last = lastCallAt == null || !at.isBefore(lastCallAt);
      return new State(leadId, identity, first ? source : firstSource, last ? source : lastSource, first ? at : firstSeenAt, last ? at : lastCallAt,
          missedCalls + missed, answeredCalls + answered, later(lastAnsweredAt, answeredAt), remember(callId), opened, r);
    }

    private List<String> remember(String callId) {
      var l = new ArrayList<>(recentCallIds);
      l.add(callId);
      if (l.size() > RECENT_CALLS) l.subList(0, l.size() - RECENT_CALLS).clear();
      return List.copyOf(l);
    }

    /**
     * The same identity with no string held twice: every live lead keeps its identity in memory, and a recovered
     * one gets fresh copies of everything from the journal. The lead id is the state's own; the tenant and the
     * reason are a handful of values shared by all leads; a raw caller id equal to the E.164 number is that number.
     */
    private LeadIdentity compact(LeadIdentity id) {
      if (id == null) return null;
      String phone = id.phoneNumber();
      String raw = phone != null && phone.equals(id.rawCallerId()) ? phone : id.rawCallerId();
      return new LeadIdentity(leadId.equals(id.leadId()) ? leadId : id.leadId(), word(id.tenant()), phone, raw, word(id.notCallableReason()));
    }

    /** A word from a small closed set (tenant, miss reason): one shared copy instead of one per lead. */
    private static String word(String s) {
      return s == null ? null : s.intern();
    }

    private static Instant later(Instant a, Instant b) {
      if (a == null) return b;
      if (b == null) return a;
      return a.isAfter(b) ? a : b;
    }
  }

  // ---- wiring ----

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId())));
  }

  public static String tagFor(String leadId) {
    return TAGS.get(tagIndex(leadId));
  }

  private static int tagIndex(String leadId) {
    return Math.abs(leadId.hashCode() % TAGS.size());
  }

  private static final List<Set<String>> TAG_SETS = TAGS.stream().map(Set::of).collect(Collectors.toUnmodifiableList());
  private static final RetentionCriteria RETENTION = RetentionCriteria.snapshotEvery(20, 2);

  public static Behavior<Command> create(String leadId) {
    return new LeadEntity(leadId);
  }

  /*
   * Every live lead is one actor, so whatever each instance builds for itself is paid 100k times. The handlers and
   * the supervision strategy hold no per-lead data (the lead id comes from the state), so all leads share one of
   * each: about 450 bytes less per live lead than building them per instance (measured with bench-entities).
   */
  private static final BackoffSupervisorStrategy PERSIST_FAILURE = SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1);
  private static final EffectFactories<Event, State> EFFECT = new EffectFactories<>();
  private static final CommandHandlerWithReply<Command, Event, State> COMMANDS = CommandHandlerWithReplyBuilder.<Command, Event, State>builder()
      .forAnyState()
      .onCommand(RecordMiss.class, LeadEntity::onMiss)
      .onCommand(RecordAnswer.class, LeadEntity::onAnswer)
      .onCommand(Get.class, (state, cmd) -> EFFECT.reply(cmd.replyTo(), state))
      .build();
  private static final EventHandler<State, Event> EVENTS = EventHandlerBuilder.<State, Event>builder().forAnyState().onAnyEvent(State::apply);

  private final String leadId;
  private final Set<String> tags;

  private LeadEntity(String leadId) {
    super(PersistenceId.of(ENTITY_KEY.name(), leadId), PERSIST_FAILURE);
    this.leadId = leadId;
    this.tags = TAG_SETS.get(tagIndex(leadId));
  }

  @Override
  public State emptyState() {
    return State.empty(leadId);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return tags;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // A busy caller (or a spam dialler) can pile up calls; recover from a snapshot, never delete events.
    return RETENTION;
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return EVENTS;
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return COMMANDS;
  }

  private static ReplyEffect<Event, State> onMiss(State state, RecordMiss cmd) {
    if (state.recentCallIds().contains(cmd.callId())) return EFFECT.reply(cmd.replyTo(), ack(state));
    String leadId = state.leadId();
    var events = new ArrayList<Event>(2);
    if (!state.known()) events.add(new Identified(leadId, cmd.identity(), cmd.source(), cmd.missedAt()));
    if (state.lastAnsweredAt() != null && cmd.missedAt().isBefore(state.lastAnsweredAt())) {
      events.add(new StaleMissRecorded(leadId, cmd.callId(), cmd.reason(), cmd.source(), cmd.missedAt()));
    } else if (state.hasOpenRecovery()) {
      events.add(new MissJoined(leadId, state.recovery().recoveryId(), cmd.callId(), cmd.reason(), cmd.source(), cmd.missedAt(), cmd.voicemail()));
    } else {
      String recoveryId = leadId + "#" + (state.recoveriesOpened() + 1);
      events.add(new RecoveryOpened(leadId, recoveryId, cmd.callId(), cmd.reason(), cmd.source(), cmd.missedAt(), cmd.voicemail()));
    }
    return EFFECT.persist(events).thenReply(cmd.replyTo(), LeadEntity::ack);
  }

  private static ReplyEffect<Event, State> onAnswer(State state, RecordAnswer cmd) {
    if (state.recentCallIds().contains(cmd.callId())) return EFFECT.reply(cmd.replyTo(), ack(state));
    String leadId = state.leadId();
    var events = new ArrayList<Event>(2);
    if (!state.known()) events.add(new Identified(leadId, cmd.identity(), cmd.source(), cmd.answeredAt()));
    if (state.hasOpenRecovery() && cmd.answeredAt().isAfter(state.recovery().openedAt())) {
      events.add(new GotThrough(leadId, state.recovery().recoveryId(), cmd.callId(), cmd.source(), cmd.answeredAt()));
    } else {
      events.add(new AnsweredCallRecorded(leadId, cmd.callId(), cmd.source(), cmd.answeredAt()));
    }
    return EFFECT.persist(events).thenReply(cmd.replyTo(), LeadEntity::ack);
  }

  private static Ack ack(State s) {
    var r = s.recovery();
    return new Ack(s.leadId(), r == null ? null : r.recoveryId(), r == null ? null : r.status());
  }
}
