package switchboard.call;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;
import switchboard.common.EventProjections;
import switchboard.lead.LeadEntity;

/**
 * Delivers each call's outcome to its lead: the bridge between the two entities. Runs as a projection over the
 * call events, so an outcome is delivered at least once even across crashes; the lead drops repeats by call id.
 * A group is sent together (leads answer in parallel) and the offset moves only after every lead acknowledged.
 */
public final class CallOutcomeHandler extends Handler<List<EventEnvelope<CallEntity.Event>>> {
    private final ClusterSharding sharding;
    private final Duration askTimeout;

    /** Starts the {@code call-outcomes} projection: every call's outcome reaches its lead. */
    public static void start(ActorSystem<?> system, EventProjections projections, Duration askTimeout) {
        var sharding = ClusterSharding.get(system);
        projections.<CallEntity.Event>atLeastOnce(
                "call-outcomes",
                CallEntity.TAGS,
                () -> new CallOutcomeHandler(sharding, askTimeout),
                100,
                Duration.ofMillis(20));
    }

    CallOutcomeHandler(ClusterSharding sharding, Duration askTimeout) {
        this.sharding = sharding;
        this.askTimeout = askTimeout;
    }

    @Override
    public CompletionStage<Done> process(List<EventEnvelope<CallEntity.Event>> envelopes) {
        var acks = new ArrayList<CompletableFuture<LeadEntity.Ack>>();
        for (var env : envelopes) {
            var event = env.event();
            if (event instanceof CallEntity.Missed m) {
                var lead = sharding.entityRefFor(LeadEntity.ENTITY_KEY, m.lead().leadId());
                acks.add(lead.<LeadEntity.Ack>ask(
                                reply -> new LeadEntity.RecordMiss(
                                        m.callId(),
                                        m.lead(),
                                        m.source(),
                                        m.reason().name(),
                                        m.at(),
                                        m.voicemail(),
                                        reply),
                                askTimeout)
                        .toCompletableFuture());
            } else if (event instanceof CallEntity.Answered a) {
                var lead = sharding.entityRefFor(LeadEntity.ENTITY_KEY, a.lead().leadId());
                acks.add(lead.<LeadEntity.Ack>ask(
                                reply -> new LeadEntity.RecordAnswer(a.callId(), a.lead(), a.source(), a.at(), reply),
                                askTimeout)
                        .toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).thenApply(x -> Done.getInstance());
    }
}
