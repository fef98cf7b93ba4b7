package switchboard.intake;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import switchboard.lead.CallerIdentification;
import switchboard.lead.LeadEntity;
import switchboard.lead.PhoneNumbers;
import switchboard.lead.Qualification;
import switchboard.qualify.QualifyDesk;

/**
 * The web-form intake use case: a checked form becomes an event on the lead of its phone number — the same lead as
 * the calls from that number. A booking the visitor left opens (or joins) the lead's recovery like a missed call, so
 * the callback governor calls it back; a finished one records its answers as the lead's qualification (channel
 * {@code WEB}, service area decided by the node) and opens nothing. The form id is remembered by the lead itself
 * (persisted), so a repeat — a retry, a replay — is answered as a duplicate and stores nothing.
 */
public final class IntakeDesk {
    private static final Logger log = LoggerFactory.getLogger(IntakeDesk.class);
    private static final Duration ASK = Duration.ofSeconds(10);

    private final ClusterSharding sharding;
    private final IntakeSettings settings;
    private final QualifyDesk qualify;
    private final String tenant;
    private final String region;

    public IntakeDesk(
            ActorSystem<?> system, IntakeSettings settings, QualifyDesk qualify, String tenant, String region) {
        this.sharding = ClusterSharding.get(system);
        this.settings = settings;
        this.qualify = qualify;
        this.tenant = tenant;
        this.region = region;
    }

    public boolean enabled() {
        return settings.enabled();
    }

    public IntakeAuth auth() {
        return settings.auth();
    }

    /** Checks a posted form against the region's numbering and the service menu. */
    public IntakeForms.Checked check(IntakeForms.Posted posted) {
        return IntakeForms.check(posted, region, qualify.settings().menu());
    }

    /** Records a valid form on its lead at {@code at}; completes with the lead's answer (duplicate or not). */
    public CompletionStage<LeadEntity.FormAck> submit(IntakeForms.Submission s, Instant at) {
        var identity = CallerIdentification.identify(tenant, s.phone(), region, "form:" + s.formId());
        var form = new LeadEntity.WebForm(
                s.formId(), s.source(), s.complete(), s.name(), s.service(), s.zip(), s.message(), s.utm(), at);
        var q = qualify.checked(
                new Qualification(s.service(), s.zip(), null, null, null, Qualification.Channel.WEB, at));
        return sharding.entityRefFor(LeadEntity.ENTITY_KEY, identity.leadId())
                .<LeadEntity.FormAck>ask(r -> new LeadEntity.RecordForm(form, identity, q, r), ASK)
                .thenApply(ack -> {
                    if (ack.duplicate())
                        log.info(
                                "Web form repeated for {} (complete={}): already recorded, nothing stored",
                                PhoneNumbers.mask(s.phone()),
                                s.complete());
                    else
                        log.info(
                                "Web form for {} (complete={}, source {}): recovery {}",
                                PhoneNumbers.mask(s.phone()),
                                s.complete(),
                                s.source(),
                                ack.recoveryStatus() == null ? "none" : ack.recoveryStatus());
                    return ack;
                });
    }
}
