package switchboard.lead;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import switchboard.common.CborSerializable;

/**
 * The lead's text conversation: the consent it stands on (an opt-out stays until START/UNSTOP), what was sent for
 * which recovery, and the most recent texts in both directions (the last {@link #RECENT}; the journal keeps them
 * all). Null on a lead that never texted: leads cost nothing for a feature they do not use.
 *
 * @param optedOut whether the lead revoked consent to texts (checked before every text)
 * @param optedOutAt when, and by which keyword ({@code optOutKeyword}, e.g. {@code STOP}); kept after an opt-in
 * @param recent the last texts, oldest first
 * @param textedRecoveryId the recovery the last first text was about (one first text per recovery)
 * @param firstTextAt when that recovery's first text went out
 * @param followUpsDone the cadence's steps behind for that recovery
 */
public record Texts(
        boolean optedOut,
        Instant optedOutAt,
        String optOutKeyword,
        int sent,
        int received,
        Instant lastSentAt,
        Instant lastReceivedAt,
        String textedRecoveryId,
        Instant firstTextAt,
        int followUpsDone,
        List<Text> recent)
        implements CborSerializable {

    /** How many texts the live lead keeps in memory (and the API shows). */
    public static final int RECENT = 20;

    public static final Texts NONE = new Texts(false, null, null, 0, 0, null, null, null, null, 0, List.of());

    public enum Direction {
        IN,
        OUT
    }

    /**
     * One text.
     *
     * @param textId ours: for an outgoing text, chosen before it is sent (a repeat carries the same id); for an
     *     incoming one, {@code transport:providerId}
     * @param kind what it is: {@code first}, {@code follow-up}, {@code csr}, {@code opt-out-confirmation},
     *     {@code help}, … for outgoing; {@code reply}, {@code opt-out}, {@code opt-in}, {@code help} for incoming
     * @param status the provider's word (e.g. {@code queued}, {@code delivered}); {@code sending} until it answers;
     *     {@code received} for incoming
     * @param body the text itself: PII, never logged
     */
    public record Text(
            String textId,
            Direction direction,
            String transport,
            String providerId,
            String kind,
            String recoveryId,
            String body,
            String status,
            String errorCode,
            Instant at,
            Instant statusAt)
            implements CborSerializable {

        Text withStatus(String providerIdNow, String newStatus, String error, Instant when) {
            return new Text(
                    textId,
                    direction,
                    transport,
                    providerIdNow != null ? providerIdNow : providerId,
                    kind,
                    recoveryId,
                    body,
                    newStatus,
                    error,
                    at,
                    when);
        }
    }

    /** The text with this id, or with this provider id (the status callback knows only that), else null. */
    public Text find(String textId, String transport, String providerId) {
        for (int i = recent.size() - 1; i >= 0; i--) {
            var t = recent.get(i);
            if (textId != null && textId.equals(t.textId())) return t;
            if (textId == null
                    && providerId != null
                    && providerId.equals(t.providerId())
                    && (transport == null || transport.equals(t.transport()))) return t;
        }
        return null;
    }

    /** The customer texted after the recovery's first text (the cadence stops). */
    public boolean repliedSinceFirstText() {
        return firstTextAt != null && lastReceivedAt != null && lastReceivedAt.isAfter(firstTextAt);
    }

    Texts withSent(Text t, boolean first, boolean followUp) {
        return new Texts(
                optedOut,
                optedOutAt,
                optOutKeyword,
                sent + 1,
                received,
                later(lastSentAt, t.at()),
                lastReceivedAt,
                first ? t.recoveryId() : textedRecoveryId,
                first ? t.at() : firstTextAt,
                first ? 0 : followUpsDone + (followUp ? 1 : 0),
                append(t));
    }

    Texts withReceived(Text t) {
        return new Texts(
                optedOut,
                optedOutAt,
                optOutKeyword,
                sent,
                received + 1,
                lastSentAt,
                later(lastReceivedAt, t.at()),
                textedRecoveryId,
                firstTextAt,
                followUpsDone,
                append(t));
    }

    Texts withStatus(Text updated) {
        var l = new ArrayList<>(recent);
        for (int i = 0; i < l.size(); i++) if (l.get(i).textId().equals(updated.textId())) l.set(i, updated);
        return new Texts(
                optedOut,
                optedOutAt,
                optOutKeyword,
                sent,
                received,
                lastSentAt,
                lastReceivedAt,
                textedRecoveryId,
                firstTextAt,
                followUpsDone,
                List.copyOf(l));
    }

    Texts withConsent(boolean out, Instant at, String keyword) {
        return new Texts(
                out,
                out ? at : optedOutAt,
                out ? keyword : optOutKeyword,
                sent,
                received,
                lastSentAt,
                lastReceivedAt,
                textedRecoveryId,
                firstTextAt,
                followUpsDone,
                recent);
    }

    private List<Text> append(Text t) {
        var l = new ArrayList<>(recent);
        l.add(t);
        if (l.size() > RECENT) l.subList(0, l.size() - RECENT).clear();
        return List.copyOf(l);
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.isAfter(b) ? a : b;
    }
}
