package switchboard.readside;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import switchboard.callback.OpenRecoveries;
import switchboard.callback.PendingRecovery;
import switchboard.lead.LeadEntity;
import switchboard.lead.LeadSource;
import switchboard.lead.Qualification;

/**
 * The governor's feed of open recoveries, from {@code sb_leads} (at most 20,000 at a time, oldest recovery first),
 * with what ranks them: asked for by the caller or a person, and an emergency by the lead's qualification.
 */
public final class OpenRecoveriesQuery implements OpenRecoveries {
    private static final int MAX = 20_000;
    private final ReadStore store;

    public OpenRecoveriesQuery(ReadStore store) {
        this.store = store;
    }

    @Override
    public CompletionStage<List<PendingRecovery>> of(String tenant) {
        String tenantPrefix = tenant + ":";
        return store.leads(Optional.of(Views.LeadFilter.OPEN), MAX)
                .thenApply(list -> list.stream()
                        .filter(l -> l.id().startsWith(tenantPrefix) && l.recovery() != null)
                        .map(l -> {
                            var r = l.recovery();
                            var c = r.callbacks();
                            var source = LeadSource.parse(r.source()).orElse(LeadSource.UNKNOWN);
                            return new PendingRecovery(
                                    l.id(),
                                    r.id(),
                                    l.callable() ? l.phoneNumber() : null,
                                    source,
                                    r.reason(),
                                    r.openedAt(),
                                    r.missCount(),
                                    c.attempts(),
                                    c.inFlight(),
                                    c.nextAttemptAt(),
                                    c.deferredUntil(),
                                    l.timeZone() == null ? null : ZoneId.of(l.timeZone()),
                                    LeadEntity.CALLBACK_REQUESTED.equals(r.reason()) || c.requestedAt() != null,
                                    l.qualification() != null
                                            && Qualification.Urgency.EMERGENCY
                                                    .name()
                                                    .equals(l.qualification().urgency()));
                        })
                        .toList());
    }
}
