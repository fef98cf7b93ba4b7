package switchboard.pbx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.asteriskjava.manager.action.CoreShowChannelsAction;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.action.RedirectAction;
import org.asteriskjava.manager.action.SetVarAction;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.response.ManagerError;
import switchboard.callback.CallbackPbx;
import switchboard.lead.CallbackOutcome;
import switchboard.overflow.OverflowPolicy;

/**
 * What Switchboard asks of Asterisk: Originate a callback, move a waiting caller (Setvar + Redirect), find out
 * where an earlier callback's channel is. Never blocks: each reply comes back as a future, completed on the
 * library's event thread (in order with the events) or, for CDR reads, on the blocking executor. Keeps no state;
 * what the link has asked for (the callback channels it follows) is {@link AmiLink}'s.
 */
final class AmiActions {
    /** Where a callback's channel stands: live now (and whether it is up), else its CDR rows (none: it vanished). */
    record Whereabouts(boolean live, boolean up, List<CdrBackfill.Row> rows) {}

    private final AmiConnection connection;
    private final CdrReader cdr;

    AmiActions(AmiConnection connection, CdrReader cdr) {
        this.connection = connection;
        this.cdr = cdr;
    }

    /**
     * Sends the Originate: Async=true, so Asterisk answers at once ("successfully queued") and reports the outcome
     * later as OriginateResponse (followed by {@link CallbackChannels}). Completes with null when queued, else the error.
     */
    CompletionStage<String> originate(CallbackPbx.Dial d) {
        var action = new OriginateAction();
        var variables = new LinkedHashMap<>(d.variables());
        if (d.agentFirst()) {
            // ;2 queues for a CSR (sb-callback-csr); once one answers, ;1 runs sb-callback-customer and dials the
            // customer.
            // The ;2 half's id keeps our prefix, so queue watching does not count it as an inbound caller.
            action.setChannel("Local/s@sb-callback-csr/n");
            action.setContext("sb-callback-customer");
            action.setOtherChannelId(d.channelId() + "-csr");
            variables.put("SB_DIAL", d.number());
            variables.put("SB_RING", Long.toString(Math.max(1, d.ringTimeout().toSeconds())));
            // The Originate waits for the CSR: the queue's own timeout, plus a margin.
            long queueSeconds = parseSeconds(variables.get("SB_QUEUE_TIMEOUT"), 60);
            action.setTimeout((queueSeconds + 5) * 1000L);
        } else {
            action.setChannel(d.number());
            action.setContext("sb-callback");
            action.setTimeout(d.ringTimeout().toMillis());
        }
        action.setExten("s");
        action.setPriority(1);
        action.setAsync(true);
        action.setActionId(d.attemptId());
        action.setChannelId(d.channelId());
        if (d.callerId() != null) action.setCallerId(d.callerId());
        action.setVariables(variables);
        var error = new CompletableFuture<String>();
        try {
            connection.send(
                    action,
                    response -> error.complete(
                            response instanceof ManagerError ? String.valueOf(response.getMessage()) : null));
        } catch (Exception e) {
            error.complete("not sent: " + e.getMessage());
        }
        return error;
    }

    /**
     * Overflow: Setvar for each variable, then Redirect the waiting caller to the destination's context
     * (sb-overflow, sb-overflow-number, sb-overflow-offer) at extension {@code did}. AMI runs one connection's actions
     * in order, so the variables are set before the caller lands in the new context. Completes with null when moved
     * (a variable that could not be set is only context: it is reported alongside), else the error.
     */
    CompletionStage<String> move(
            String channel, String did, Map<String, String> variables, OverflowPolicy.Destination to) {
        var vars = new LinkedHashMap<>(variables);
        String context;
        if (to instanceof OverflowPolicy.ToQueue q) {
            context = "sb-overflow";
            vars.put("SB_OVERFLOW_QUEUE", q.queue());
        } else if (to instanceof OverflowPolicy.ToNumber n) {
            context = "sb-overflow-number";
            vars.put("SB_OVERFLOW_DIAL", n.dial());
        } else if (to instanceof OverflowPolicy.Qualify) {
            context = "sb-qualify";
            vars.put("SB_QUALIFY_ENTRY", "overflow");
        } else {
            context = "sb-overflow-offer";
        }
        var result = new CompletableFuture<String>();
        var errors = new ConcurrentLinkedQueue<String>();
        try {
            for (var v : vars.entrySet()) {
                connection.send(new SetVarAction(channel, v.getKey(), v.getValue()), r -> {
                    if (r instanceof ManagerError) errors.add("Setvar " + v.getKey() + ": " + r.getMessage());
                });
            }
            String exten = did == null || did.isBlank() ? "s" : did;
            connection.send(new RedirectAction(channel, context, exten, 1), r -> {
                if (r instanceof ManagerError) result.complete("Redirect: " + r.getMessage());
                else
                    result.complete(
                            errors.isEmpty()
                                    ? null
                                    : String.join("; ", errors)); // moved; a lost variable is only context
            });
        } catch (Exception e) {
            result.complete("not sent: " + e.getMessage());
        }
        return result;
    }

    /**
     * Where a callback's channel is now: live (CoreShowChannels, 10 s at most), else what the CDR file recorded of it.
     * Fails when Asterisk cannot be asked; the governor asks again.
     */
    CompletionStage<Whereabouts> whereabouts(String channelId) {
        return connection
                .list(new CoreShowChannelsAction())
                .orTimeout(10, TimeUnit.SECONDS)
                .thenCompose(list -> {
                    for (var e : list) {
                        if (e instanceof CoreShowChannelEvent c && channelId.equals(c.getUniqueid())) {
                            return CompletableFuture.completedFuture(
                                    new Whereabouts(true, "Up".equalsIgnoreCase(c.getChannelStateDesc()), List.of()));
                        }
                    }
                    return cdr.recent()
                            .thenApply(rows -> new Whereabouts(
                                    false,
                                    false,
                                    rows.stream()
                                            .filter(r -> channelId.equals(r.uniqueId()))
                                            .toList()));
                });
    }

    /** What became of a callback that is no longer live, told by its CDR rows; none: it vanished. */
    static List<CallbackPbx.Event> recorded(String attemptId, List<CdrBackfill.Row> rows) {
        var out = new ArrayList<CallbackPbx.Event>(3);
        if (rows.isEmpty()) {
            out.add(new CallbackPbx.Vanished(attemptId));
            return out;
        }
        boolean connected = rows.stream()
                .anyMatch(r -> "ANSWERED".equals(r.disposition())
                        && r.dstChannel() != null
                        && !r.dstChannel().isBlank());
        boolean answered = rows.stream().anyMatch(r -> r.answer() != null);
        if (connected) {
            out.add(new CallbackPbx.Answered(attemptId));
            out.add(new CallbackPbx.Connected(attemptId, rows.get(0).dstChannel()));
            out.add(new CallbackPbx.HungUp(attemptId, 16));
        } else if (answered) {
            out.add(new CallbackPbx.Answered(attemptId));
            out.add(new CallbackPbx.HungUp(attemptId, 16));
        } else {
            String d = rows.get(rows.size() - 1).disposition();
            var outcome = "BUSY".equals(d)
                    ? CallbackOutcome.BUSY
                    : "NO ANSWER".equals(d) ? CallbackOutcome.NO_ANSWER : CallbackOutcome.FAILED;
            out.add(new CallbackPbx.NotAnswered(attemptId, outcome, null, null));
        }
        return out;
    }

    private static long parseSeconds(String s, long orElse) {
        try {
            return s == null ? orElse : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return orElse;
        }
    }
}
