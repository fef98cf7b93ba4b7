package switchboard.pbx;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.asteriskjava.manager.action.CoreShowChannelsAction;
import org.asteriskjava.manager.action.QueueStatusAction;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.QueueEntryEvent;
import org.asteriskjava.manager.event.ResponseEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import switchboard.call.PbxSignal;

/**
 * Closing the gap after a (re)connect: events missed while the link was down are never replayed, so the link asks
 * Asterisk what is live now (CoreShowChannels, QueueStatus), reads the CDR file for what ended meanwhile, and turns
 * both into signals ({@link #plan}). Also decides, from its CDR record, a call whose story we only partly saw
 * (adopted at a resync, or followed across a cut).
 *
 * <p>Keeps no state: the translator's resync mark and the blind window are {@link AmiLink}'s, which calls this on
 * its own thread only. The asking ({@link #ask}) never blocks; the answers come back as one future.
 */
final class Resync {
    private static final Logger log = LoggerFactory.getLogger(Resync.class);
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** How long an ended call's CDR record is waited for: Asterisk writes it as the channels go away. */
    static final Duration RECORD_WAIT = Duration.ofSeconds(5);

    /** What Asterisk said is live, and the end of its CDR file (empty when not asked for). */
    record Snapshot(List<ResponseEvent> channels, List<ResponseEvent> queueEntries, List<CdrBackfill.Row> cdr) {}

    /**
     * What to do with a snapshot: deliver {@code signals} (of which {@code backfilled} came from CDR records), then
     * await the record of each of {@code awaited} — after their starts, so each call's lane stays in order.
     */
    record Plan(List<PbxSignal> signals, int backfilled, List<PbxSignal.Hangup> awaited) {}

    private final String pbxId;
    private final AmiConnection connection;
    private final CdrReader cdr;
    private final AmiTranslator translator;
    private final QueueWatch queues;

    Resync(String pbxId, AmiConnection connection, CdrReader cdr, AmiTranslator translator, QueueWatch queues) {
        this.pbxId = pbxId;
        this.connection = connection;
        this.cdr = cdr;
        this.translator = translator;
        this.queues = queues;
    }

    /**
     * Asks for live channels and queue callers, then (when {@code withRecords}) reads the CDR file; fails if either
     * cannot be sent, or after {@link #TIMEOUT}. The CDR file is read after Asterisk has said which channels are
     * live: a call that ends in between is then either live in the answer or already in the file, never in neither.
     */
    CompletableFuture<Snapshot> ask(boolean withRecords) {
        var result = new CompletableFuture<Snapshot>();
        var channels = connection.list(new CoreShowChannelsAction());
        var entries = channels.isCompletedExceptionally()
                ? channels
                : connection.list(new QueueStatusAction()); // not connected: ask once
        for (var sent : List.of(channels, entries)) {
            if (sent.isCompletedExceptionally()) { // could not be sent: say so now, not at the timeout
                sent.whenComplete((c, err) -> result.completeExceptionally(err));
                return result;
            }
        }
        channels.thenCombine(entries, (c, q) -> List.of(c, q))
                .thenCompose(cq -> (withRecords
                                ? cdr.recent()
                                : CompletableFuture.completedFuture(List.<CdrBackfill.Row>of()))
                        .thenApply(rows -> new Snapshot(cq.get(0), cq.get(1), rows)))
                .whenComplete((s, err) -> {
                    if (err == null) result.complete(s);
                    else
                        result.completeExceptionally(
                                err instanceof CompletionException && err.getCause() != null ? err.getCause() : err);
                });
        // Runs on the JDK's timer thread, like completeOnTimeout: it only completes the future.
        CompletableFuture.delayedExecutor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS, Runnable::run)
                .execute(() -> result.completeExceptionally(new TimeoutException("resync timed out")));
        return result;
    }

    /**
     * The signals a snapshot means, given {@code since} (the start of the blind window, null: none) and {@code mark}
     * (the translator's resync mark, taken when the snapshot was asked for). Updates the translator (adopted and
     * ended calls) and the queue watch; delivers nothing itself.
     */
    Plan plan(Snapshot r, Instant since, long mark) {
        Instant now = Instant.now();
        queues.reset(r.queueEntries(), now);
        var queueOf = new HashMap<String, String>();
        for (var e : r.queueEntries())
            if (e instanceof QueueEntryEvent q && q.getUniqueId() != null) queueOf.put(q.getUniqueId(), q.getQueue());
        // Callers in the snapshot that hung up before we read it (their Hangup named a call we did not know yet): gone.
        var gone = new LinkedHashMap<String, Instant>();
        var live = new HashSet<String>();
        for (var e : r.channels()) {
            if (!(e instanceof CoreShowChannelEvent c) || c.getLinkedid() == null) continue;
            Instant hungUp = translator.hungUpDuringResync(c.getLinkedid());
            if (hungUp != null) gone.put(c.getLinkedid(), hungUp);
            else live.add(c.getLinkedid());
        }
        var recorded = new HashSet<String>();
        for (var row : r.cdr()) if (row.stage() != null && !row.stage().isBlank()) recorded.add(row.linkedId());
        // Calls we followed since before the snapshot that are gone now, and listed ones that hung up meanwhile: each
        // is
        // decided from its own CDR record whenever it ended (the blind window is only a bound for calls we never saw).
        var ended = new LinkedHashMap<String, PbxSignal.Hangup>();
        var endedSignals = translator.endMissing(live, now, mark);
        for (var sig : endedSignals) if (sig instanceof PbxSignal.Hangup h) ended.put(h.linkedId(), h);
        for (var g : gone.entrySet())
            ended.putIfAbsent(g.getKey(), new PbxSignal.Hangup(pbxId, g.getKey(), g.getValue(), 16));
        var out = new ArrayList<PbxSignal>();
        int backfilled = 0;
        // First what Asterisk's records say about calls that ended while we were blind (richer than a bare hang-up),
        if (!r.cdr().isEmpty()) {
            var theirs = r.cdr().stream()
                    .filter(row -> ended.containsKey(row.linkedId()))
                    .toList();
            var recovered = new ArrayList<PbxSignal>(CdrBackfill.signals(pbxId, theirs, Instant.EPOCH, Set.of()));
            if (since != null) {
                var skip = new HashSet<String>(live);
                skip.addAll(ended.keySet());
                recovered.addAll(CdrBackfill.signals(pbxId, r.cdr(), since, skip));
            }
            backfilled = recovered.size();
            out.addAll(recovered);
        }
        // then the calls that are live now,
        for (var e : r.channels()) {
            if (!(e instanceof CoreShowChannelEvent c) || c.getLinkedid() == null || gone.containsKey(c.getLinkedid()))
                continue;
            Instant started = now.minus(parseDuration(c.getDuration()));
            String queue = queueOf.get(c.getUniqueid());
            if (queue == null && "Queue".equalsIgnoreCase(c.getApplication()) && c.getApplicationdata() != null)
                queue = c.getApplicationdata().split(",")[0];
            boolean bridged = c.getBridgeid() != null && !c.getBridgeid().isBlank();
            out.addAll(translator.adopt(
                    c.getLinkedid(),
                    c.getUniqueid(),
                    c.getContext(),
                    c.getCallerIdNum(),
                    c.getCallerIdName(),
                    c.getExten(),
                    c.getChannelVariables() == null
                            ? null
                            : c.getChannelVariables().get("SB_DID"),
                    started,
                    queue,
                    c.getApplication(),
                    bridged));
        }
        // and the ended ones whose record is not in the file yet: Asterisk writes it as the channels go away; await it.
        var awaited = new ArrayList<PbxSignal.Hangup>();
        for (var h : ended.values()) {
            if (recorded.contains(h.linkedId())) continue;
            endedSignals.stream()
                    .filter(sig -> sig instanceof PbxSignal.CallStarted
                            && sig.linkedId().equals(h.linkedId()))
                    .forEach(out::add);
            awaited.add(h);
        }
        log.info(
                "AMI resync with {}: {} live channels, {} queue callers, {} CDR rows since {}, {} ended unseen, {} hung up meanwhile, {} signals",
                pbxId,
                r.channels().size(),
                queueOf.size(),
                r.cdr().size(),
                since,
                ended.size(),
                gone.size(),
                out.size());
        return new Plan(out, backfilled, awaited);
    }

    /** One call's CDR rows, awaited off the actor; empty if they never come (or cannot be read). */
    CompletableFuture<List<CdrBackfill.Row>> awaitRecord(PbxSignal.Hangup h) {
        return cdr.awaitCall(h.linkedId(), RECORD_WAIT).exceptionally(err -> List.of());
    }

    /**
     * What a call's CDR rows tell beyond its hang-up, then the hang-up itself (a repeat of the record's own when
     * there was one; the call's end otherwise). The entity ignores what it already knows.
     */
    Plan fromRecord(PbxSignal.Hangup h, List<CdrBackfill.Row> rows) {
        var out = new ArrayList<PbxSignal>(CdrBackfill.signals(pbxId, rows, Instant.EPOCH, Set.of()));
        int backfilled = out.size();
        out.add(h);
        return new Plan(out, backfilled, List.of());
    }

    static Duration parseDuration(String hhmmss) {
        if (hhmmss == null) return Duration.ZERO;
        try {
            String[] p = hhmmss.trim().split(":");
            if (p.length == 3)
                return Duration.ofHours(Long.parseLong(p[0]))
                        .plusMinutes(Long.parseLong(p[1]))
                        .plusSeconds(Long.parseLong(p[2]));
            return Duration.ofSeconds(Long.parseLong(hhmmss.trim()));
        } catch (NumberFormatException e) {
            return Duration.ZERO;
        }
    }
}
