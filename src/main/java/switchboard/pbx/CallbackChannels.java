package switchboard.pbx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.asteriskjava.manager.event.AgentConnectEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.HangupRequestEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.event.SoftHangupRequestEvent;
import switchboard.callback.CallbackPbx;
import switchboard.lead.CallbackOutcome;

/**
 * Follows the channels of the callbacks we originated (ChannelId = Uniqueid, ActionID = attempt id) and says what
 * happened to each, as Asterisk 22 reports it (recorded in ami-transcripts/actions-originate-*.ami): a busy
 * customer gives {@code HangupRequest} cause 17 and then {@code OriginateResponse} Failure with Reason 0; no answer
 * Reason 3 (cause 19); no route Reason 0 without a channel; an answer Reason 4, after which the channel runs the
 * callback context and an {@code AgentConnect} on it means a CSR took the call. Pure: one link's events in order.
 */
final class CallbackChannels {
    private static final class Track {
        final String attemptId;
        final boolean agentFirst;
        Integer cause;
        /** Failed (Reason 0) before its cause was known: decided at the channel's Hangup (see onEvent). */
        boolean failedAwaitingCause;

        boolean answered;
        boolean settled;

        Track(String attemptId, boolean agentFirst) {
            this.attemptId = attemptId;
            this.agentFirst = agentFirst;
        }
    }

    private final Map<String, Track> byChannel = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Track> eldest) {
            return size() > 10_000; // a channel whose end we never saw (link lost) is reconciled elsewhere
        }
    };

    void dialing(String attemptId, String channelId) {
        dialing(attemptId, channelId, false);
    }

    /**
     * {@code agentFirst}: the channel is the Local ;1 half whose ;2 half rings a CSR; its "answer" is the CSR's, and
     * the customer's leg is reported by the dialplan (SwitchboardCallback, Stage CUSTOMER).
     */
    void dialing(String attemptId, String channelId, boolean agentFirst) {
        byChannel.put(channelId, new Track(attemptId, agentFirst));
    }

    /** A channel found Up at a reconciliation: its hang-up is an answered callback's end. */
    void answered(String channelId) {
        var t = byChannel.get(channelId);
        if (t != null) t.answered = true;
    }

    int tracked() {
        return byChannel.size();
    }

    List<CallbackPbx.Event> onEvent(ManagerEvent e) {
        var out = new ArrayList<CallbackPbx.Event>(1);
        if (e instanceof OriginateResponseEvent o) {
            Track t = o.getUniqueId() == null ? null : byChannel.get(o.getUniqueId());
            if (t == null && o.getActionId() != null) t = byAttempt(o.getActionId());
            if (t == null || t.settled && t.answered) return out;
            boolean success = "Success".equalsIgnoreCase(o.getResponse());
            if (success) {
                t.answered = true;
                out.add(new CallbackPbx.Answered(t.attemptId));
            } else {
                int reason = o.getReason() == null ? 0 : o.getReason();
                if (!t.agentFirst
                        && t.cause == null
                        && reason == 0
                        && o.getUniqueId() != null
                        && byChannel.containsKey(o.getUniqueId())) {
                    // Reason 0 says only "failed"; busy and congestion differ by the channel's hang-up cause. Asterisk
                    // usually
                    // sends the HangupRequest (cause 17) first, but not always — under load the OriginateResponse can
                    // come
                    // first. The channel exists, so its Hangup (with the cause) is still to come: decide then.
                    t.failedAwaitingCause = true;
                    return out;
                }
                t.settled = true;
                // Agent first: no CSR took the call, so the customer was never dialled — a failure of ours, not their
                // no-answer.
                var outcome = t.agentFirst ? CallbackOutcome.FAILED : notAnswered(o.getReason(), t.cause);
                out.add(new CallbackPbx.NotAnswered(t.attemptId, outcome, o.getReason(), t.cause));
                if (o.getUniqueId() == null) byChannel.values().remove(t);
            }
            return out;
        }
        if (e instanceof SwitchboardCallbackEvent u) return onDialplanReport(u);
        String uid = uniqueIdOf(e);
        if (uid == null) return out;
        Track t = byChannel.get(uid);
        if (t == null) return out;
        if (e instanceof HangupRequestEvent h) {
            if (h.getCause() != null) t.cause = h.getCause();
        } else if (e instanceof SoftHangupRequestEvent h) {
            if (h.getCause() != null && t.cause == null) t.cause = h.getCause();
        } else if (e instanceof AgentConnectEvent a) {
            if (t.answered && !t.agentFirst) out.add(new CallbackPbx.Connected(t.attemptId, a.getInterface()));
        } else if (e instanceof HangupEvent h) {
            byChannel.remove(uid);
            if (t.answered) out.add(new CallbackPbx.HungUp(t.attemptId, h.getCause()));
            else if (!t.settled) {
                // a hang-up before any OriginateResponse (rare ordering), or after a failure that waited for its cause
                t.settled = true;
                Integer cause = t.cause != null ? t.cause : h.getCause();
                out.add(new CallbackPbx.NotAnswered(
                        t.attemptId, notAnswered(0, cause), t.failedAwaitingCause ? 0 : null, cause));
            }
        }
        return out;
    }

    /** What our callback dialplan reported: answering-machine detection, or the customer leg of an agent-first callback. */
    private List<CallbackPbx.Event> onDialplanReport(SwitchboardCallbackEvent u) {
        var out = new ArrayList<CallbackPbx.Event>(1);
        Track t = u.getAttempt() == null ? null : byAttempt(u.getAttempt());
        if (t == null || t.settled) return out;
        String status = u.getStatus() == null ? "" : u.getStatus().trim().toUpperCase();
        if ("AMD".equalsIgnoreCase(u.getStage())) {
            // HUMAN and NOTSURE go on to the queue; HANGUP (the line went quiet, no frames) ends with the channel's
            // HungUp.
            if (status.equals("MACHINE")) {
                t.settled = true;
                out.add(new CallbackPbx.Machine(t.attemptId, u.getCause() == null ? "" : u.getCause()));
            }
        } else if ("CUSTOMER".equalsIgnoreCase(u.getStage()) && t.agentFirst && t.answered) {
            if (status.equals("ANSWER")) {
                t.settled = true;
                out.add(new CallbackPbx.Connected(t.attemptId, "agent-first"));
            } else {
                t.settled = true;
                out.add(new CallbackPbx.NotAnswered(t.attemptId, dialStatus(status), null, parseCause(u.getCause())));
            }
        }
        return out;
    }

    /** The DIALSTATUS of the customer leg (agent first) → what the customer's phone did. */
    static CallbackOutcome dialStatus(String status) {
        return switch (status) {
            case "BUSY" -> CallbackOutcome.BUSY;
            case "NOANSWER", "CANCEL" -> CallbackOutcome.NO_ANSWER;
            default -> CallbackOutcome.FAILED; // CONGESTION, CHANUNAVAIL, anything new
        };
    }

    private static Integer parseCause(String s) {
        try {
            return s == null || s.isBlank() ? null : Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private Track byAttempt(String attemptId) {
        for (var t : byChannel.values()) if (t.attemptId.equals(attemptId)) return t;
        return null;
    }

    /** Reason (main/pbx.c pbx_dial_reason) and hang-up cause (Q.850) → what the customer's phone did. */
    static CallbackOutcome notAnswered(Integer reason, Integer cause) {
        int r = reason == null ? 0 : reason;
        if (r == 5) return CallbackOutcome.BUSY;
        if (r == 3) return CallbackOutcome.NO_ANSWER;
        if (r == 8) return CallbackOutcome.FAILED;
        if (cause != null) {
            if (cause == 17) return CallbackOutcome.BUSY; // user busy
            if (cause == 18 || cause == 19 || cause == 21)
                return CallbackOutcome.NO_ANSWER; // no user responding, no answer, rejected
        }
        return CallbackOutcome.FAILED;
    }

    private static String uniqueIdOf(ManagerEvent e) {
        if (e instanceof HangupRequestEvent v) return v.getUniqueId();
        if (e instanceof SoftHangupRequestEvent v) return v.getUniqueId();
        if (e instanceof AgentConnectEvent v) return v.getUniqueId();
        if (e instanceof HangupEvent v) return v.getUniqueId();
        return null;
    }
}
