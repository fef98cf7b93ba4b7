package switchboard.callback;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import switchboard.lead.LeadEntity;
import switchboard.lead.RecoveryStatus;

/**
 * What people do to callbacks through the API: each change is asked of the lead, which owns its recovery, and then
 * the governor (if callbacks run here) is told to look again, so a request is dialled without waiting for its poll.
 */
public final class CallbackRequests implements CallbackControl {
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

    private final ClusterSharding sharding;
    private final DncService dnc;
    private volatile ActorRef<GovernorActor.Command> governor;

    public CallbackRequests(ActorSystem<?> system, DncService dnc) {
        this.sharding = ClusterSharding.get(system);
        this.dnc = dnc;
    }

    /** The governor to poke after a change (set once callbacks start). */
    public void notify(ActorRef<GovernorActor.Command> governor) {
        this.governor = governor;
    }

    @Override
    public CompletionStage<Result> cancel(String leadId, String why) {
        var lead = sharding.entityRefFor(LeadEntity.ENTITY_KEY, leadId);
        return lead.<LeadEntity.State>ask(LeadEntity.Get::new, ASK_TIMEOUT).thenCompose(st -> {
            if (!st.known()) return CompletableFuture.completedFuture(Result.NO_SUCH_LEAD);
            if (!st.hasOpenRecovery()) return CompletableFuture.completedFuture(Result.NOTHING_OPEN);
            return lead.<LeadEntity.Ack>ask(
                            r -> new LeadEntity.Close(
                                    st.recovery().recoveryId(), RecoveryStatus.CANCELLED, why, Instant.now(), r),
                            ASK_TIMEOUT)
                    .thenApply(ack ->
                            ack.recoveryStatus() == RecoveryStatus.CANCELLED ? Result.DONE : Result.NOTHING_OPEN);
        });
    }

    @Override
    public CompletionStage<Result> request(String leadId, String by) {
        var lead = sharding.entityRefFor(LeadEntity.ENTITY_KEY, leadId);
        return lead.<LeadEntity.State>ask(LeadEntity.Get::new, ASK_TIMEOUT).thenCompose(st -> {
            if (!st.known()) return CompletableFuture.completedFuture(Result.NO_SUCH_LEAD);
            if (st.identity().phoneNumber() == null) return CompletableFuture.completedFuture(Result.NOT_CALLABLE);
            return lead.<LeadEntity.Ack>ask(r -> new LeadEntity.RequestCallback(Instant.now(), by, r), ASK_TIMEOUT)
                    .thenApply(ack -> {
                        pokeGovernor();
                        return ack.recoveryStatus() == null ? Result.NOT_CALLABLE : Result.DONE;
                    });
        });
    }

    @Override
    public CompletionStage<Result> timeZone(String leadId, String zoneId) {
        var lead = sharding.entityRefFor(LeadEntity.ENTITY_KEY, leadId);
        return lead.<LeadEntity.State>ask(LeadEntity.Get::new, ASK_TIMEOUT).thenCompose(st -> {
            if (!st.known()) return CompletableFuture.completedFuture(Result.NO_SUCH_LEAD);
            return lead.<LeadEntity.Ack>ask(r -> new LeadEntity.SetTimeZone(zoneId, Instant.now(), r), ASK_TIMEOUT)
                    .thenApply(ack -> {
                        pokeGovernor();
                        return Result.DONE;
                    });
        });
    }

    @Override
    public CompletionStage<String> dncAdd(String raw) {
        return dnc.add(raw);
    }

    @Override
    public CompletionStage<Boolean> dncRemove(String raw) {
        return dnc.remove(raw);
    }

    private void pokeGovernor() {
        var g = governor;
        if (g != null) g.tell(GovernorActor.Poke.INSTANCE);
    }
}
