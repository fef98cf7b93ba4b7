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
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.Behavior;
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
import switchboard.common.CborSerializable;

/**
 * One caller (tenant + E.164 number). Collects the caller's call outcomes and owns their recovery: a miss opens
 * it, further misses join it (one recovery, never two), and an answered call after it closes it as
 * {@link RecoveryStatus#GOT_THROUGH}.
 *
 * <p>Outcomes arrive at least once (from the {@code CallOutcomes} projection), so every command is idempotent on
 * its call id, and may arrive out of order across calls, so a miss older than an answered call opens nothing.
 */
public final class LeadEntity
        extends EventSourcedBehaviorWithEnforcedReplies<LeadEntity.Command, LeadEntity.Event, LeadEntity.State> {

    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Lead");
    public static final List<String> TAGS =
            IntStream.range(0, 4).mapToObj(i -> "lead-" + i).collect(Collectors.toUnmodifiableList());
    /** The reason of a recovery a person asked for (an overflow offer, the API): ranked ahead of plain misses. */
    public static final String CALLBACK_REQUESTED = "CALLBACK_REQUESTED";
    /** The reason of a recovery opened by an online booking the visitor left (a web form with complete = false). */
    public static final String ABANDONED_BOOKING = "ABANDONED_BOOKING";
    /** How many recent web form ids a lead remembers (per lead) to answer a repeated form as a duplicate. */
    static final int RECENT_FORMS = 100;
    /** How many recent call ids a lead remembers to drop redelivered outcomes. */
    static final int RECENT_CALLS = 50;

    // ---- protocol ----

    public sealed interface Command extends CborSerializable {}

    public record RecordMiss(
            String callId,
            LeadIdentity identity,
            LeadSource source,
            String reason,
            Instant missedAt,
            boolean voicemail,
            ActorRef<Ack> replyTo)
            implements Command {}

    public record RecordAnswer(
            String callId, LeadIdentity identity, LeadSource source, Instant answeredAt, ActorRef<Ack> replyTo)
            implements Command {}

    public record Get(ActorRef<State> replyTo) implements Command {}

    /**
     * The governor wants to dial the open recovery's next attempt at {@code at}. Granted only when the recovery is
     * open, its number callable, nothing in flight and the attempt due; the attempt is persisted before the reply,
     * so the Originate it carries (deterministic channel id) is sent at most once. A repeat while it is in flight
     * gets {@link InFlight}: reconcile it with the PBX by its channel id, never dial it again.
     */
    public record StartAttempt(String recoveryId, Instant at, ActorRef<AttemptReply> replyTo) implements Command {}

    /** Settles the attempt in flight ({@code retryAt} or {@code giveUp} decided by the governor's retry schedule). */
    public record EndAttempt(
            String recoveryId,
            String attemptId,
            CallbackOutcome outcome,
            Instant at,
            Instant retryAt,
            String giveUp,
            ActorRef<Ack> replyTo)
            implements Command {}

    /** Not now: the calling window, business hours or capacity say {@code until}; visible on the lead. */
    public record Defer(String recoveryId, Instant until, String because, Instant at, ActorRef<Ack> replyTo)
            implements Command {}

    /** Ends the open recovery without a call: DO_NOT_CALL, CANCELLED, UNREACHABLE (no allowed time left). */
    public record Close(String recoveryId, RecoveryStatus status, String why, Instant at, ActorRef<Ack> replyTo)
            implements Command {}

    /**
     * A person asks for a callback now (API): the open recovery becomes due at once, or a recovery is opened for a
     * known, callable caller. Replies with the ack (recovery status null: unknown lead or not callable).
     */
    public record RequestCallback(Instant at, String by, ActorRef<Ack> replyTo) implements Command {}

    /**
     * The callee's time zone for the calling window, set by a person who knows better than the number's area code
     * (a mobile number that moved); {@code zoneId} null: from the number again. Replies with the ack (recovery
     * status null and no recovery: unknown lead).
     */
    public record SetTimeZone(String zoneId, Instant at, ActorRef<Ack> replyTo) implements Command {}

    /**
     * Answers about what the caller needs (IVR, text, web form, CSR), merged into what the lead knows: a later answer
     * fills in or corrects an earlier one. Stored only when something changes. Replies with the ack (recovery status
     * null and no recovery: unknown lead).
     */
    public record Qualify(Qualification qualification, String by, ActorRef<Ack> replyTo) implements Command {}

    /**
     * A job booked for the lead (the dispatch board's window is already held): the lead's open recovery, if any,
     * ends as {@link RecoveryStatus#BOOKED}. A lead holds one booking; a new one replaces it (a move).
     */
    public record RecordBooking(Booking booking, ActorRef<Ack> replyTo) implements Command {}

    /** The booking is off (the board's window already released); the recovery is not reopened. */
    public record CancelBooking(String by, Instant at, ActorRef<Ack> replyTo) implements Command {}

    /**
     * What the booking rules decided for the lead ({@code flow}: a booking.Flow name, by {@code rule}), by whom (ivr,
     * csr, web), during which call ({@code callId}: the interview's; null otherwise). Stored only when it changes.
     * Replies with the ack (no recovery: unknown lead).
     */
    public record RecordRoute(Route route, ActorRef<Ack> replyTo) implements Command {}

    /** The rules' decision for the lead: the flow (a booking.Flow name), the rule that decided, by whom and when. */
    public record Route(String flow, String rule, String by, Instant at, String callId) implements CborSerializable {}

    /**
     * A caller Switchboard must know before their call has ended (the interview on an overflow or after-hours route,
     * a web form): the lead is created from {@code identity} if it is not known yet; nothing else changes. Replies
     * with the ack.
     */
    public record Identify(LeadIdentity identity, LeadSource source, Instant at, ActorRef<Ack> replyTo)
            implements Command {}

    /**
     * A web form or an online booking the visitor left ({@code form.complete()} false): recorded once per form id
     * (a repeat with the same id changes nothing and is answered {@code duplicate}). An incomplete one opens the
     * lead's recovery (or joins the open one) exactly like a missed call, reason {@link #ABANDONED_BOOKING}, so the
     * governor calls it back; {@code qualification} (already checked against the service area), when given, is
     * merged into what the lead knows.
     */
    public record RecordForm(
            WebForm form, LeadIdentity identity, Qualification qualification, ActorRef<FormAck> replyTo)
            implements Command {}

    /**
     * What a web form said. {@code formId}: the client's idempotency key; {@code name}, {@code message} are PII
     * (never logged); {@code utm}: the campaign fields given (utm_source → "source", …).
     */
    public record WebForm(
            String formId,
            LeadSource source,
            boolean complete,
            String name,
            String service,
            String zip,
            String message,
            java.util.Map<String, String> utm,
            Instant at)
            implements CborSerializable {}

    /** The answer to {@link RecordForm}: the lead, and whether the form id was seen before (nothing stored then). */
    public record FormAck(String leadId, boolean duplicate, String recoveryId, RecoveryStatus recoveryStatus)
            implements CborSerializable {}

    /** A job on the dispatch board: which board, day and arrival window, booked by whom (ivr, csr, web). */
    public record Booking(String board, java.time.LocalDate date, String window, String by, Instant at)
            implements CborSerializable {}

    /**
     * A text to the lead, stored before the transport is asked (a repeat with the same text id changes nothing).
     * Refused after an opt-out (except the one confirmation of it), and a second {@code first} text for the same
     * recovery is refused: the lead is the last guard of both rules whatever the caller checked.
     */
    public record RecordTextSent(Texts.Text text, ActorRef<TextAck> replyTo) implements Command {}

    /**
     * A text from the lead ({@code identity}: who, for a number with no lead yet). {@code consent}: what its keyword
     * says, decided by the caller ({@code sms.SmsKeywords}); an opt-out is stored in the same write as the text,
     * before it, and before anything else is done about it. A repeat (same text id) changes nothing.
     */
    public record RecordTextReceived(
            Texts.Text text, LeadIdentity identity, Consent consent, String keyword, ActorRef<TextAck> replyTo)
            implements Command {}

    /** What the provider says of a text we sent: found by {@code textId}, or by its provider id when that is null. */
    public record RecordTextStatus(
            String textId,
            String transport,
            String providerId,
            String status,
            String errorCode,
            Instant at,
            ActorRef<TextAck> replyTo)
            implements Command {}

    public enum Consent {
        OPT_OUT,
        OPT_IN
    }

    /** {@code accepted}: stored (or already stored); else {@code why} not. */
    public record TextAck(String leadId, boolean accepted, String why, Texts texts) implements CborSerializable {}

    public sealed interface AttemptReply extends CborSerializable {}

    /** Dial this: the attempt is stored. */
    public record Granted(String leadId, Attempt attempt, String number) implements AttemptReply {}

    /** An attempt of this recovery is already in flight (a repeat after a crash or a lost reply). */
    public record InFlight(String leadId, Attempt attempt) implements AttemptReply {}

    public record Refused(String leadId, String why) implements AttemptReply {}

    public record Ack(String leadId, String recoveryId, RecoveryStatus recoveryStatus) implements CborSerializable {}

    // ---- events ----

    public sealed interface Event extends CborSerializable {
        String leadId();
    }

    /** First contact: who this lead is and where they came from. */
    public record Identified(String leadId, LeadIdentity identity, LeadSource source, Instant at) implements Event {}

    public record RecoveryOpened(
            String leadId,
            String recoveryId,
            String callId,
            String reason,
            LeadSource source,
            Instant missedAt,
            boolean voicemail)
            implements Event {}

    /**
     * Another miss joins the open recovery. Outcomes of different calls can arrive out of order, so the recovery
     * always describes its earliest miss (reason, source, openedAt), whichever arrived first.
     */
    public record MissJoined(
            String leadId,
            String recoveryId,
            String callId,
            String reason,
            LeadSource source,
            Instant missedAt,
            boolean voicemail)
            implements Event {}

    /** A miss that is older than a call of theirs we answered: recorded, opens nothing. */
    public record StaleMissRecorded(String leadId, String callId, String reason, LeadSource source, Instant missedAt)
            implements Event {}

    public record GotThrough(String leadId, String recoveryId, String callId, LeadSource source, Instant answeredAt)
            implements Event {}

    public record AnsweredCallRecorded(String leadId, String callId, LeadSource source, Instant answeredAt)
            implements Event {}

    /** Persisted before the Originate is sent. */
    public record AttemptStarted(
            String leadId, String recoveryId, String attemptId, int attemptNo, String channelId, Instant at)
            implements Event {}

    public record AttemptEnded(
            String leadId, String recoveryId, String attemptId, CallbackOutcome outcome, Instant at, Instant retryAt)
            implements Event {}

    public record CallbackDeferred(String leadId, String recoveryId, Instant until, String because, Instant at)
            implements Event {}

    public record RecoveryClosed(String leadId, String recoveryId, RecoveryStatus status, String why, Instant at)
            implements Event {}

    /** The calling window uses this zone for the lead ({@code zoneId} null: the zones of the number). */
    public record TimeZoneSet(String leadId, String zoneId, Instant at) implements Event {}

    /** Due now: asked for by a person (or the caller, from the overflow callback offer). */
    public record CallbackRequested(String leadId, String recoveryId, String by, Instant at) implements Event {}

    /** What the lead knows now of what they need (merged), and who said so last. */
    public record Qualified(String leadId, Qualification qualification, String by) implements Event {}

    /** A job booked; {@code recoveryId}: the open recovery it ended as BOOKED, or null. The CRM hand-off picks this up. */
    public record JobBooked(String leadId, String recoveryId, Booking booking) implements Event {}

    public record BookingCancelled(String leadId, Booking booking, String by, Instant at) implements Event {}

    public record Routed(String leadId, Route route) implements Event {}
    /** A web form, stored once per form id; an incomplete one is followed by the recovery it opened or joined. */
    public record FormReceived(String leadId, WebForm form) implements Event {}

    public record TextSent(String leadId, Texts.Text text) implements Event {}

    public record TextReceived(String leadId, Texts.Text text) implements Event {}

    public record TextStatusChanged(
            String leadId, String textId, String providerId, String status, String errorCode, Instant at)
            implements Event {}

    /** Consent to texts revoked (by a keyword, a person, …): stored before anything else happens. */
    public record OptedOut(String leadId, String keyword, String textId, Instant at) implements Event {}

    public record OptedIn(String leadId, String keyword, String textId, Instant at) implements Event {}

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
            String closedByCallId,
            Callbacks callbacks)
            implements CborSerializable {
        /** Recoveries stored before callbacks existed have none. */
        @Override
        public Callbacks callbacks() {
            return callbacks == null ? Callbacks.NONE : callbacks;
        }

        Recovery with(RecoveryStatus newStatus, Instant closed, String closedBy, Callbacks c) {
            return new Recovery(
                    recoveryId,
                    newStatus,
                    reason,
                    source,
                    openedAt,
                    lastMissAt,
                    missCount,
                    voicemail,
                    callIds,
                    closed,
                    closedBy,
                    c);
        }
    }

    /** One callback attempt: {@code channelId} is the Originate's ChannelId (the Uniqueid Asterisk gives the channel). */
    public record Attempt(String attemptId, int attemptNo, String channelId, Instant startedAt)
            implements CborSerializable {}

    /**
     * The callbacks of a recovery. {@code nextAttemptAt}: a retry's time (null before the first attempt: the
     * governor's grace period after the miss decides it); {@code deferredUntil}: the last deferral and why.
     */
    public record Callbacks(
            int attempts,
            List<Instant> attemptStarts,
            Attempt inFlight,
            CallbackOutcome lastOutcome,
            Instant nextAttemptAt,
            Instant deferredUntil,
            String deferredBecause,
            String closedBecause)
            implements CborSerializable {
        static final Callbacks NONE = new Callbacks(0, List.of(), null, null, null, null, null, null);
    }

    /** A form the lead sent: enough to answer a repeat as a duplicate and to list it. */
    public record FormSeen(String formId, LeadSource source, boolean complete, Instant at)
            implements CborSerializable {}

    /** The lead's recent web forms (at most {@link #RECENT_FORMS}, oldest first) and the last one in full. */
    public record Forms(List<FormSeen> recent, WebForm last) implements CborSerializable {
        static final Forms NONE = new Forms(List.of(), null);

        public boolean seen(String formId) {
            return recent.stream().anyMatch(f -> f.formId().equals(formId));
        }

        Forms with(WebForm f) {
            var l = new ArrayList<>(recent);
            l.add(new FormSeen(f.formId(), f.source(), f.complete(), f.at()));
            if (l.size() > RECENT_FORMS) l.subList(0, l.size() - RECENT_FORMS).clear();
            return new Forms(List.copyOf(l), f);
        }
    }

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
            Recovery recovery,
            String timeZone,
            Qualification qualification,
            Booking booking,
            Route route,
            Forms forms,
            Texts texts)
            implements CborSerializable {

        static State empty(String leadId) {
            return new State(
                    leadId,
                    null,
                    null,
                    null,
                    null,
                    null,
                    0,
                    0,
                    null,
                    List.of(),
                    0,
                    null,
                    null,
                    null,
                    null,
                    null,
                    Forms.NONE,
                    Texts.NONE);
        }

        /** Leads stored before web forms existed have none. */
        @Override
        public Forms forms() {
            return forms == null ? Forms.NONE : forms;
        }

        /** The conversation; {@link Texts#NONE} for a lead that never texted. */
        @Override
        public Texts texts() {
            return texts == null ? Texts.NONE : texts;
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
                return new State(
                        leadId,
                        compact(i.identity()),
                        i.source(),
                        i.source(),
                        i.at(),
                        i.at(),
                        missedCalls,
                        answeredCalls,
                        lastAnsweredAt,
                        recentCallIds,
                        recoveriesOpened,
                        recovery,
                        timeZone,
                        qualification,
                        booking,
                        route,
                        forms,
                        texts);
            } else if (e instanceof RecoveryOpened o) {
                // An attempt of the previous recovery still on the line stays in flight: no second call to them
                // meanwhile.
                var carried = recovery == null || recovery.callbacks().inFlight() == null
                        ? Callbacks.NONE
                        : new Callbacks(0, List.of(), recovery.callbacks().inFlight(), null, null, null, null, null);
                var r = new Recovery(
                        o.recoveryId(),
                        RecoveryStatus.OPEN,
                        word(o.reason()),
                        o.source(),
                        o.missedAt(),
                        o.missedAt(),
                        1,
                        o.voicemail(),
                        List.of(o.callId()),
                        null,
                        null,
                        carried);
                return seen(o.callId(), o.missedAt(), o.source(), 1, 0, null, recoveriesOpened + 1, r);
            } else if (e instanceof MissJoined j) {
                var calls = new ArrayList<>(recovery.callIds());
                calls.add(j.callId());
                boolean earlier = j.missedAt().isBefore(recovery.openedAt());
                var r = new Recovery(
                        recovery.recoveryId(),
                        recovery.status(),
                        earlier ? word(j.reason()) : recovery.reason(),
                        earlier ? j.source() : recovery.source(),
                        earlier ? j.missedAt() : recovery.openedAt(),
                        later(recovery.lastMissAt(), j.missedAt()),
                        recovery.missCount() + 1,
                        recovery.voicemail() || j.voicemail(),
                        List.copyOf(calls),
                        null,
                        null,
                        recovery.callbacks);
                return seen(j.callId(), j.missedAt(), j.source(), 1, 0, null, recoveriesOpened, r);
            } else if (e instanceof StaleMissRecorded m) {
                return seen(m.callId(), m.missedAt(), m.source(), 1, 0, null, recoveriesOpened, recovery);
            } else if (e instanceof GotThrough g) {
                var r = recovery.with(RecoveryStatus.GOT_THROUGH, g.answeredAt(), g.callId(), recovery.callbacks);
                return seen(g.callId(), g.answeredAt(), g.source(), 0, 1, g.answeredAt(), recoveriesOpened, r);
            } else if (e instanceof AnsweredCallRecorded a) {
                return seen(a.callId(), a.answeredAt(), a.source(), 0, 1, a.answeredAt(), recoveriesOpened, recovery);
            } else if (e instanceof AttemptStarted a) {
                var c = recovery.callbacks();
                var starts = new ArrayList<>(c.attemptStarts());
                starts.add(a.at());
                var cb = new Callbacks(
                        a.attemptNo(),
                        List.copyOf(starts),
                        new Attempt(a.attemptId(), a.attemptNo(), a.channelId(), a.at()),
                        c.lastOutcome(),
                        null,
                        null,
                        null,
                        null);
                return withRecovery(
                        recovery.with(recovery.status(), recovery.closedAt(), recovery.closedByCallId(), cb));
            } else if (e instanceof AttemptEnded a) {
                var c = recovery.callbacks();
                var cb = new Callbacks(
                        c.attempts(), c.attemptStarts(), null, a.outcome(), a.retryAt(), null, null, c.closedBecause());
                boolean connected = a.outcome() == CallbackOutcome.CONNECTED
                        && recovery.status().isOpen();
                return withRecovery(recovery.with(
                        connected ? RecoveryStatus.RECOVERED : recovery.status(),
                        connected ? a.at() : recovery.closedAt(),
                        connected ? a.attemptId() : recovery.closedByCallId(),
                        cb));
            } else if (e instanceof CallbackDeferred d) {
                var c = recovery.callbacks();
                var cb = new Callbacks(
                        c.attempts(),
                        c.attemptStarts(),
                        c.inFlight(),
                        c.lastOutcome(),
                        c.nextAttemptAt(),
                        d.until(),
                        word(d.because()),
                        c.closedBecause());
                return withRecovery(
                        recovery.with(recovery.status(), recovery.closedAt(), recovery.closedByCallId(), cb));
            } else if (e instanceof CallbackRequested q) {
                var c = recovery.callbacks();
                var cb = new Callbacks(
                        c.attempts(),
                        c.attemptStarts(),
                        c.inFlight(),
                        c.lastOutcome(),
                        q.at(),
                        null,
                        null,
                        c.closedBecause());
                return withRecovery(
                        recovery.with(recovery.status(), recovery.closedAt(), recovery.closedByCallId(), cb));
            } else if (e instanceof TimeZoneSet z) {
                // A deferral was computed in the old zone: it no longer holds (the governor checks the window again).
                var r = recovery;
                if (r != null && r.callbacks().deferredUntil() != null) {
                    var c = r.callbacks();
                    r = r.with(
                            r.status(),
                            r.closedAt(),
                            r.closedByCallId(),
                            new Callbacks(
                                    c.attempts(),
                                    c.attemptStarts(),
                                    c.inFlight(),
                                    c.lastOutcome(),
                                    c.nextAttemptAt(),
                                    null,
                                    null,
                                    c.closedBecause()));
                }
                return with(r, z.zoneId() == null ? null : z.zoneId().intern(), qualification, booking);
            } else if (e instanceof RecoveryClosed x) {
                var c = recovery.callbacks();
                var cb = new Callbacks(
                        c.attempts(), c.attemptStarts(), c.inFlight(), c.lastOutcome(), null, null, null, x.why());
                return withRecovery(recovery.with(x.status(), x.at(), null, cb));
            } else if (e instanceof Qualified q) {
                return with(recovery, timeZone, q.qualification(), booking);
            } else if (e instanceof JobBooked b) {
                var r = recovery;
                if (b.recoveryId() != null && r != null && r.status().isOpen()) {
                    var c = r.callbacks();
                    r = r.with(
                            RecoveryStatus.BOOKED,
                            b.booking().at(),
                            null,
                            new Callbacks(
                                    c.attempts(),
                                    c.attemptStarts(),
                                    c.inFlight(),
                                    c.lastOutcome(),
                                    null,
                                    null,
                                    null,
                                    "booked"));
                }
                return with(r, timeZone, qualification, b.booking());
            } else if (e instanceof BookingCancelled x) {
                return with(recovery, timeZone, qualification, null);
            } else if (e instanceof Routed r) {
                return new State(
                        leadId,
                        identity,
                        firstSource,
                        lastSource,
                        firstSeenAt,
                        lastCallAt,
                        missedCalls,
                        answeredCalls,
                        lastAnsweredAt,
                        recentCallIds,
                        recoveriesOpened,
                        recovery,
                        timeZone,
                        qualification,
                        booking,
                        r.route(),
                        forms,
                        texts);
            } else if (e instanceof FormReceived f) {
                return new State(
                        leadId,
                        identity,
                        firstSource,
                        lastSource,
                        firstSeenAt,
                        lastCallAt,
                        missedCalls,
                        answeredCalls,
                        lastAnsweredAt,
                        recentCallIds,
                        recoveriesOpened,
                        recovery,
                        timeZone,
                        qualification,
                        booking,
                        route,
                        forms().with(f.form()),
                        texts);

            } else if (e instanceof TextSent t) {
                boolean first = "first".equals(t.text().kind());
                return withTexts(texts().withSent(
                                t.text(), first, "follow-up".equals(t.text().kind())));
            } else if (e instanceof TextReceived t) {
                return withTexts(texts().withReceived(t.text()));
            } else if (e instanceof TextStatusChanged c) {
                var old = texts().find(c.textId(), null, null);
                if (old == null) return this;
                return withTexts(texts().withStatus(old.withStatus(c.providerId(), c.status(), c.errorCode(), c.at())));
            } else if (e instanceof OptedOut o) {
                return withTexts(texts().withConsent(true, o.at(), o.keyword()));
            } else if (e instanceof OptedIn o) {
                return withTexts(texts().withConsent(false, o.at(), o.keyword()));
            }
            throw new IllegalArgumentException("unknown event " + e);
        }

        private State withTexts(Texts t) {
            return new State(
                    leadId,
                    identity,
                    firstSource,
                    lastSource,
                    firstSeenAt,
                    lastCallAt,
                    missedCalls,
                    answeredCalls,
                    lastAnsweredAt,
                    recentCallIds,
                    recoveriesOpened,
                    recovery,
                    timeZone,
                    qualification,
                    booking,
                    route,
                    forms,
                    t);
        }

        private State withRecovery(Recovery r) {
            return with(r, timeZone, qualification, booking);
        }

        private State with(Recovery r, String zone, Qualification q, Booking b) {
            return new State(
                    leadId,
                    identity,
                    firstSource,
                    lastSource,
                    firstSeenAt,
                    lastCallAt,
                    missedCalls,
                    answeredCalls,
                    lastAnsweredAt,
                    recentCallIds,
                    recoveriesOpened,
                    r,
                    zone,
                    q,
                    b,
                    route,
                    forms,
                    texts);
        }

        private State seen(
                String callId,
                Instant at,
                LeadSource source,
                int missed,
                int answered,
                Instant answeredAt,
                int opened,
                Recovery r) {
            boolean first = firstSeenAt == null || at.isBefore(firstSeenAt);
            boolean last = lastCallAt == null || !at.isBefore(lastCallAt);
            return new State(
                    leadId,
                    identity,
                    first ? source : firstSource,
                    last ? source : lastSource,
                    first ? at : firstSeenAt,
                    last ? at : lastCallAt,
                    missedCalls + missed,
                    answeredCalls + answered,
                    later(lastAnsweredAt, answeredAt),
                    remember(callId),
                    opened,
                    r,
                    timeZone,
                    qualification,
                    booking,
                    route,
                    forms,
                    texts);
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
            return new LeadIdentity(
                    leadId.equals(id.leadId()) ? leadId : id.leadId(),
                    word(id.tenant()),
                    phone,
                    raw,
                    word(id.notCallableReason()));
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

    private static final List<Set<String>> TAG_SETS =
            TAGS.stream().map(Set::of).collect(Collectors.toUnmodifiableList());
    private static final RetentionCriteria RETENTION = RetentionCriteria.snapshotEvery(20, 2);

    public static Behavior<Command> create(String leadId) {
        return new LeadEntity(leadId);
    }

    /*
     * Every live lead is one actor, so whatever each instance builds for itself is paid 100k times. The handlers and
     * the supervision strategy hold no per-lead data (the lead id comes from the state), so all leads share one of
     * each: about 450 bytes less per live lead than building them per instance (measured with bench-entities).
     */
    private static final BackoffSupervisorStrategy PERSIST_FAILURE =
            SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1);
    private static final EffectFactories<Event, State> EFFECT = new EffectFactories<>();
    private static final CommandHandlerWithReply<Command, Event, State> COMMANDS =
            CommandHandlerWithReplyBuilder.<Command, Event, State>builder()
                    .forAnyState()
                    .onCommand(RecordMiss.class, LeadEntity::onMiss)
                    .onCommand(RecordAnswer.class, LeadEntity::onAnswer)
                    .onCommand(Get.class, (state, cmd) -> EFFECT.reply(cmd.replyTo(), state))
                    .onCommand(StartAttempt.class, LeadEntity::onStartAttempt)
                    .onCommand(EndAttempt.class, LeadEntity::onEndAttempt)
                    .onCommand(Defer.class, LeadEntity::onDefer)
                    .onCommand(Close.class, LeadEntity::onClose)
                    .onCommand(RequestCallback.class, LeadEntity::onRequest)
                    .onCommand(SetTimeZone.class, LeadEntity::onSetTimeZone)
                    .onCommand(Qualify.class, LeadEntity::onQualify)
                    .onCommand(RecordBooking.class, LeadEntity::onBooking)
                    .onCommand(CancelBooking.class, LeadEntity::onCancelBooking)
                    .onCommand(RecordRoute.class, LeadEntity::onRoute)
                    .onCommand(Identify.class, LeadEntity::onIdentify)
                    .onCommand(RecordForm.class, LeadEntity::onForm)
                    .onCommand(RecordTextSent.class, LeadEntity::onTextSent)
                    .onCommand(RecordTextReceived.class, LeadEntity::onTextReceived)
                    .onCommand(RecordTextStatus.class, LeadEntity::onTextStatus)
                    .build();
    private static final EventHandler<State, Event> EVENTS =
            EventHandlerBuilder.<State, Event>builder().forAnyState().onAnyEvent(State::apply);

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
        if ((state.lastAnsweredAt() != null && cmd.missedAt().isBefore(state.lastAnsweredAt()))
                || handledByInterview(state, cmd.callId())) {
            events.add(new StaleMissRecorded(leadId, cmd.callId(), cmd.reason(), cmd.source(), cmd.missedAt()));
        } else {
            String recoveryId;
            if (state.hasOpenRecovery()) {
                recoveryId = state.recovery().recoveryId();
                events.add(new MissJoined(
                        leadId, recoveryId, cmd.callId(), cmd.reason(), cmd.source(), cmd.missedAt(), cmd.voicemail()));
            } else {
                recoveryId = leadId + "#" + (state.recoveriesOpened() + 1);
                events.add(new RecoveryOpened(
                        leadId, recoveryId, cmd.callId(), cmd.reason(), cmd.source(), cmd.missedAt(), cmd.voicemail()));
            }
            // The caller asked to be called back (an overflow offer): due at once, no grace period, ahead of plain
            // misses.
            if (CALLBACK_REQUESTED.equals(cmd.reason()))
                events.add(new CallbackRequested(leadId, recoveryId, "caller (overflow offer)", cmd.missedAt()));
        }
        return EFFECT.persist(events).thenReply(cmd.replyTo(), LeadEntity::ack);
    }

    /**
     * The interview settled this very call: the caller was booked during it, or told kindly that the area or service
     * is not served. When that call ends without a person it is no miss to call back.
     */
    private static boolean handledByInterview(State state, String callId) {
        var route = state.route();
        if (route == null || route.callId() == null || !route.callId().equals(callId)) return false;
        if ("NOT_SERVICEABLE".equals(route.flow())) return true;
        var b = state.booking();
        return b != null && !b.at().isBefore(route.at());
    }

    private static ReplyEffect<Event, State> onForm(State state, RecordForm cmd) {
        var form = cmd.form();
        if (state.forms().seen(form.formId())) return EFFECT.reply(cmd.replyTo(), formAck(state, true));
        String leadId = state.leadId();
        var events = new ArrayList<Event>(4);
        if (!state.known()) events.add(new Identified(leadId, cmd.identity(), form.source(), form.at()));
        events.add(new FormReceived(leadId, form));
        var q = cmd.qualification();
        if (q != null && (form.complete() || !q.isEmpty())) {
            var merged =
                    state.qualification() == null ? q : state.qualification().merge(q);
            if (state.qualification() == null || !sameAnswers(state.qualification(), merged))
                events.add(new Qualified(leadId, merged, "web"));
        }
        if (!form.complete()) {
            // Like a miss (the visitor left the booking): one recovery, never two; the form id stands for the call id.
            String callId = "form:" + form.formId();
            if (state.hasOpenRecovery()) {
                events.add(new MissJoined(
                        leadId,
                        state.recovery().recoveryId(),
                        callId,
                        ABANDONED_BOOKING,
                        form.source(),
                        form.at(),
                        false));
            } else {
                events.add(new RecoveryOpened(
                        leadId,
                        leadId + "#" + (state.recoveriesOpened() + 1),
                        callId,
                        ABANDONED_BOOKING,
                        form.source(),
                        form.at(),
                        false));
            }
        }
        return EFFECT.persist(events).thenReply(cmd.replyTo(), s -> formAck(s, false));
    }

    private static FormAck formAck(State s, boolean duplicate) {
        var r = s.recovery();
        return new FormAck(s.leadId(), duplicate, r == null ? null : r.recoveryId(), r == null ? null : r.status());
    }

    private static ReplyEffect<Event, State> onAnswer(State state, RecordAnswer cmd) {
        if (state.recentCallIds().contains(cmd.callId())) return EFFECT.reply(cmd.replyTo(), ack(state));
        String leadId = state.leadId();
        var events = new ArrayList<Event>(2);
        if (!state.known()) events.add(new Identified(leadId, cmd.identity(), cmd.source(), cmd.answeredAt()));
        if (state.hasOpenRecovery() && cmd.answeredAt().isAfter(state.recovery().openedAt())) {
            events.add(new GotThrough(
                    leadId, state.recovery().recoveryId(), cmd.callId(), cmd.source(), cmd.answeredAt()));
        } else {
            events.add(new AnsweredCallRecorded(leadId, cmd.callId(), cmd.source(), cmd.answeredAt()));
        }
        return EFFECT.persist(events).thenReply(cmd.replyTo(), LeadEntity::ack);
    }

    private static ReplyEffect<Event, State> onStartAttempt(State state, StartAttempt cmd) {
        var r = state.recovery();
        String leadId = state.leadId();
        if (r == null || !r.recoveryId().equals(cmd.recoveryId()))
            return EFFECT.reply(cmd.replyTo(), new Refused(leadId, "no such recovery"));
        var c = r.callbacks();
        if (c.inFlight() != null) return EFFECT.reply(cmd.replyTo(), new InFlight(leadId, c.inFlight()));
        if (!r.status().isOpen()) return EFFECT.reply(cmd.replyTo(), new Refused(leadId, "recovery is " + r.status()));
        String number = state.identity() == null ? null : state.identity().phoneNumber();
        if (number == null)
            return EFFECT.reply(
                    cmd.replyTo(),
                    new Refused(
                            leadId,
                            "not callable: "
                                    + (state.identity() == null
                                            ? "unknown caller"
                                            : state.identity().notCallableReason())));
        if (c.nextAttemptAt() != null && cmd.at().isBefore(c.nextAttemptAt()))
            return EFFECT.reply(cmd.replyTo(), new Refused(leadId, "not due before " + c.nextAttemptAt()));
        if (c.deferredUntil() != null && cmd.at().isBefore(c.deferredUntil()))
            return EFFECT.reply(cmd.replyTo(), new Refused(leadId, "deferred until " + c.deferredUntil()));
        int no = c.attempts() + 1;
        String attemptId = attemptId(r.recoveryId(), no);
        var started = new AttemptStarted(leadId, r.recoveryId(), attemptId, no, channelIdOf(attemptId), cmd.at());
        return EFFECT.persist(started)
                .thenReply(
                        cmd.replyTo(),
                        s -> new Granted(leadId, s.recovery().callbacks().inFlight(), number));
    }

    /** A callback attempt's id: its recovery's id, "/", its number within the recovery. */
    static String attemptId(String recoveryId, int attemptNo) {
        return recoveryId + "/" + attemptNo;
    }

    /** The recovery an attempt id belongs to (see {@link #attemptId}). */
    public static String recoveryIdOf(String attemptId) {
        return attemptId.substring(0, attemptId.lastIndexOf('/'));
    }

    /** Every callback channel's ChannelId starts with this: the PBX adapter tells callbacks from inbound calls by it. */
    public static final String CALLBACK_CHANNEL_PREFIX = "sbcb-";

    /**
     * The Originate's ChannelId for an attempt: derived from the attempt id alone, so whoever reconciles the attempt
     * after a crash finds the same channel (Asterisk uses it as the channel's Uniqueid).
     */
    public static String channelIdOf(String attemptId) {
        return CALLBACK_CHANNEL_PREFIX
                + java.util.UUID.nameUUIDFromBytes(attemptId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static ReplyEffect<Event, State> onEndAttempt(State state, EndAttempt cmd) {
        var r = state.recovery();
        var inFlight = r == null ? null : r.callbacks().inFlight();
        // Settled already (a repeat) or never started: nothing to change.
        if (inFlight == null || !inFlight.attemptId().equals(cmd.attemptId()))
            return EFFECT.reply(cmd.replyTo(), ack(state));
        String leadId = state.leadId();
        var events = new ArrayList<Event>(2);
        boolean open = r.status().isOpen();
        events.add(new AttemptEnded(
                leadId,
                r.recoveryId(),
                cmd.attemptId(),
                cmd.outcome(),
                cmd.at(),
                open && cmd.giveUp() == null ? cmd.retryAt() : null));
        if (open && cmd.outcome() != CallbackOutcome.CONNECTED && cmd.giveUp() != null) {
            events.add(new RecoveryClosed(leadId, r.recoveryId(), RecoveryStatus.UNREACHABLE, cmd.giveUp(), cmd.at()));
        }
        return EFFECT.persist(events).thenReply(cmd.replyTo(), LeadEntity::ack);
    }

    private static ReplyEffect<Event, State> onRequest(State state, RequestCallback cmd) {
        if (!state.known() || state.identity().phoneNumber() == null)
            return EFFECT.reply(cmd.replyTo(), new Ack(state.leadId(), null, null));
        String leadId = state.leadId();
        var events = new ArrayList<Event>(2);
        String recoveryId;
        if (state.hasOpenRecovery()) {
            recoveryId = state.recovery().recoveryId();
        } else {
            recoveryId = leadId + "#" + (state.recoveriesOpened() + 1);
            events.add(new RecoveryOpened(
                    leadId,
                    recoveryId,
                    "request:" + cmd.at().toEpochMilli(),
                    CALLBACK_REQUESTED,
                    state.lastSource(),
                    cmd.at(),
                    false));
        }
        events.add(new CallbackRequested(leadId, recoveryId, cmd.by(), cmd.at()));
        return EFFECT.persist(events).thenReply(cmd.replyTo(), LeadEntity::ack);
    }

    private static ReplyEffect<Event, State> onSetTimeZone(State state, SetTimeZone cmd) {
        if (!state.known()) return EFFECT.reply(cmd.replyTo(), new Ack(state.leadId(), null, null));
        if (java.util.Objects.equals(state.timeZone(), cmd.zoneId()))
            return EFFECT.reply(cmd.replyTo(), ack(state)); // nothing changes: nothing stored
        if (cmd.zoneId() != null && !validZone(cmd.zoneId()))
            return EFFECT.reply(
                    cmd.replyTo(), ack(state)); // the API checks first; never store a zone that cannot be used
        return EFFECT.persist(new TimeZoneSet(state.leadId(), cmd.zoneId(), cmd.at()))
                .thenReply(cmd.replyTo(), LeadEntity::ack);
    }

    private static ReplyEffect<Event, State> onQualify(State state, Qualify cmd) {
        if (!state.known()) return EFFECT.reply(cmd.replyTo(), new Ack(state.leadId(), null, null));
        var merged = state.qualification() == null
                ? cmd.qualification()
                : state.qualification().merge(cmd.qualification());
        if (state.qualification() != null && sameAnswers(state.qualification(), merged))
            return EFFECT.reply(cmd.replyTo(), ack(state));
        return EFFECT.persist(new Qualified(state.leadId(), merged, cmd.by()))
                .thenReply(cmd.replyTo(), LeadEntity::ack);
    }

    private static boolean sameAnswers(Qualification a, Qualification b) {
        return java.util.Objects.equals(a.service(), b.service())
                && java.util.Objects.equals(a.zip(), b.zip())
                && java.util.Objects.equals(a.inServiceArea(), b.inServiceArea())
                && a.urgency() == b.urgency()
                && a.customer() == b.customer();
    }

    private static ReplyEffect<Event, State> onBooking(State state, RecordBooking cmd) {
        if (!state.known()) return EFFECT.reply(cmd.replyTo(), new Ack(state.leadId(), null, null));
        var b = cmd.booking();
        var held = state.booking();
        if (held != null
                && held.board().equals(b.board())
                && held.date().equals(b.date())
                && held.window().equals(b.window())) return EFFECT.reply(cmd.replyTo(), ack(state));
        String recoveryId = state.hasOpenRecovery() ? state.recovery().recoveryId() : null;
        return EFFECT.persist(new JobBooked(state.leadId(), recoveryId, b)).thenReply(cmd.replyTo(), LeadEntity::ack);
    }

    private static ReplyEffect<Event, State> onIdentify(State state, Identify cmd) {
        if (state.known()) return EFFECT.reply(cmd.replyTo(), ack(state));
        return EFFECT.persist(new Identified(state.leadId(), cmd.identity(), cmd.source(), cmd.at()))
                .thenReply(cmd.replyTo(), LeadEntity::ack);
    }

    private static ReplyEffect<Event, State> onRoute(State state, RecordRoute cmd) {
        if (!state.known()) return EFFECT.reply(cmd.replyTo(), new Ack(state.leadId(), null, null));
        var now = state.route();
        if (now != null
                && now.flow().equals(cmd.route().flow())
                && java.util.Objects.equals(now.rule(), cmd.route().rule())
                && java.util.Objects.equals(now.callId(), cmd.route().callId()))
            return EFFECT.reply(cmd.replyTo(), ack(state));
        return EFFECT.persist(new Routed(state.leadId(), cmd.route())).thenReply(cmd.replyTo(), LeadEntity::ack);
    }

    private static ReplyEffect<Event, State> onCancelBooking(State state, CancelBooking cmd) {
        if (state.booking() == null) return EFFECT.reply(cmd.replyTo(), ack(state));
        return EFFECT.persist(new BookingCancelled(state.leadId(), state.booking(), cmd.by(), cmd.at()))
                .thenReply(cmd.replyTo(), LeadEntity::ack);
    }

    public static boolean validZone(String zoneId) {
        try {
            java.time.ZoneId.of(zoneId);
            return true;
        } catch (java.time.DateTimeException e) {
            return false;
        }
    }

    private static final Set<RecoveryStatus> CLOSABLE = java.util.EnumSet.of(
            RecoveryStatus.DO_NOT_CALL,
            RecoveryStatus.CANCELLED,
            RecoveryStatus.UNREACHABLE,
            RecoveryStatus.NOT_SERVICEABLE);

    private static ReplyEffect<Event, State> onDefer(State state, Defer cmd) {
        var r = state.recovery();
        if (r == null || !r.recoveryId().equals(cmd.recoveryId()) || !r.status().isOpen())
            return EFFECT.reply(cmd.replyTo(), ack(state));
        var c = r.callbacks();
        if (cmd.until().equals(c.deferredUntil()) && java.util.Objects.equals(cmd.because(), c.deferredBecause()))
            return EFFECT.reply(cmd.replyTo(), ack(state));
        return EFFECT.persist(
                        new CallbackDeferred(state.leadId(), r.recoveryId(), cmd.until(), cmd.because(), cmd.at()))
                .thenReply(cmd.replyTo(), LeadEntity::ack);
    }

    private static ReplyEffect<Event, State> onClose(State state, Close cmd) {
        var r = state.recovery();
        boolean current =
                r != null && (cmd.recoveryId() == null || r.recoveryId().equals(cmd.recoveryId()));
        if (!current || !r.status().isOpen()) return EFFECT.reply(cmd.replyTo(), ack(state));
        // Only these end a recovery from outside (RECOVERED and GOT_THROUGH come from calls); the API validates first.
        if (!CLOSABLE.contains(cmd.status())) return EFFECT.reply(cmd.replyTo(), ack(state));
        return EFFECT.persist(new RecoveryClosed(state.leadId(), r.recoveryId(), cmd.status(), cmd.why(), cmd.at()))
                .thenReply(cmd.replyTo(), LeadEntity::ack);
    }

    /** The kind of the one text allowed after an opt-out: its confirmation. */
    public static final String OPT_OUT_CONFIRMATION = "opt-out-confirmation";

    private static ReplyEffect<Event, State> onTextSent(State state, RecordTextSent cmd) {
        var t = cmd.text();
        var texts = state.texts();
        if (!state.known()) return EFFECT.reply(cmd.replyTo(), textAck(state, false, "unknown lead"));
        if (texts.find(t.textId(), null, null) != null) return EFFECT.reply(cmd.replyTo(), textAck(state, true, null));
        if (texts.optedOut() && !OPT_OUT_CONFIRMATION.equals(t.kind()))
            return EFFECT.reply(cmd.replyTo(), textAck(state, false, "opted out"));
        if ("first".equals(t.kind()) && t.recoveryId() != null && t.recoveryId().equals(texts.textedRecoveryId()))
            return EFFECT.reply(cmd.replyTo(), textAck(state, false, "this recovery had its first text"));
        return EFFECT.persist(new TextSent(state.leadId(), t)).thenReply(cmd.replyTo(), s -> textAck(s, true, null));
    }

    private static ReplyEffect<Event, State> onTextReceived(State state, RecordTextReceived cmd) {
        var t = cmd.text();
        if (state.texts().find(t.textId(), null, null) != null)
            return EFFECT.reply(cmd.replyTo(), textAck(state, true, null));
        String leadId = state.leadId();
        var events = new ArrayList<Event>(3);
        if (!state.known()) {
            if (cmd.identity() == null) return EFFECT.reply(cmd.replyTo(), textAck(state, false, "unknown lead"));
            events.add(new Identified(leadId, cmd.identity(), LeadSource.UNKNOWN, t.at()));
        }
        // The opt-out first, in the same write as the text: nothing can go out between the two.
        if (cmd.consent() == Consent.OPT_OUT) events.add(new OptedOut(leadId, cmd.keyword(), t.textId(), t.at()));
        events.add(new TextReceived(leadId, t));
        if (cmd.consent() == Consent.OPT_IN && state.texts().optedOut())
            events.add(new OptedIn(leadId, cmd.keyword(), t.textId(), t.at()));
        return EFFECT.persist(events).thenReply(cmd.replyTo(), s -> textAck(s, true, null));
    }

    private static ReplyEffect<Event, State> onTextStatus(State state, RecordTextStatus cmd) {
        var t = state.texts().find(cmd.textId(), cmd.transport(), cmd.providerId());
        if (t == null) return EFFECT.reply(cmd.replyTo(), textAck(state, false, "no such text"));
        // A final status is not undone by a late "sent" (callbacks can arrive out of order).
        if (isFinalStatus(t.status()) && !isFinalStatus(cmd.status()))
            return EFFECT.reply(cmd.replyTo(), textAck(state, true, null));
        if (java.util.Objects.equals(t.status(), cmd.status())
                && java.util.Objects.equals(t.errorCode(), cmd.errorCode())
                && (cmd.providerId() == null || cmd.providerId().equals(t.providerId())))
            return EFFECT.reply(cmd.replyTo(), textAck(state, true, null));
        return EFFECT.persist(new TextStatusChanged(
                        state.leadId(), t.textId(), cmd.providerId(), cmd.status(), cmd.errorCode(), cmd.at()))
                .thenReply(cmd.replyTo(), s -> textAck(s, true, null));
    }

    private static boolean isFinalStatus(String status) {
        return status != null
                && java.util.Set.of("delivered", "undelivered", "failed", "read", "canceled")
                        .contains(status);
    }

    private static TextAck textAck(State s, boolean accepted, String why) {
        return new TextAck(s.leadId(), accepted, why, s.texts());
    }

    private static Ack ack(State s) {
        var r = s.recovery();
        return new Ack(s.leadId(), r == null ? null : r.recoveryId(), r == null ? null : r.status());
    }
}
