package switchboard.qualify;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import switchboard.lead.LeadEntity;
import switchboard.lead.Qualification;

/**
 * The qualification use case: what a lead's answers are, and storing new ones (the interview, a CSR through the
 * API, a web form). Whether a ZIP is in the service area is decided here, from the contractor's area, whatever the
 * source claims.
 */
public final class QualifyDesk {
    private static final Duration ASK = Duration.ofSeconds(5);

    private final ClusterSharding sharding;
    private final QualifySettings settings;

    public QualifyDesk(ActorSystem<?> system, QualifySettings settings) {
        this.sharding = ClusterSharding.get(system);
        this.settings = settings;
    }

    public QualifySettings settings() {
        return settings;
    }

    /** The lead as it stands (unknown: {@code known() == false}). */
    public CompletionStage<LeadEntity.State> lead(String leadId) {
        return sharding.entityRefFor(LeadEntity.ENTITY_KEY, leadId).ask(LeadEntity.Get::new, ASK);
    }

    /** Stores {@code q} on the lead, merged into what it knows; replies with the lead afterwards (or not known). */
    public CompletionStage<LeadEntity.State> record(String leadId, Qualification q, String by) {
        var checked = checked(q);
        var lead = sharding.entityRefFor(LeadEntity.ENTITY_KEY, leadId);
        return lead.<LeadEntity.Ack>ask(r -> new LeadEntity.Qualify(checked, by, r), ASK)
                .thenCompose(ack -> lead.ask(LeadEntity.Get::new, ASK));
    }

    /** Makes sure the lead of {@code identity} exists (a caller still on their first call); replies with the lead. */
    public CompletionStage<LeadEntity.State> identify(
            switchboard.lead.LeadIdentity identity, switchboard.lead.LeadSource source, java.time.Instant at) {
        var lead = sharding.entityRefFor(LeadEntity.ENTITY_KEY, identity.leadId());
        return lead.<LeadEntity.Ack>ask(r -> new LeadEntity.Identify(identity, source, at, r), ASK)
                .thenCompose(ack -> lead.ask(LeadEntity.Get::new, ASK));
    }

    private static String serviceOf(String leadId, Qualification q) {
        return q.service(); // a ZIP given without a service is checked against the general area
    }

    /** {@code q} with whether its ZIP is served decided from the contractor's area (whatever the source claimed). */
    public Qualification checked(Qualification q) {
        // a ZIP given without a service is checked against the general area
        return q.zip() == null ? q : q.withZip(q.zip(), settings.area().covers(q.service(), q.zip()));
    }
}
