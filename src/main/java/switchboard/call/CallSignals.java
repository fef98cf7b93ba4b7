package switchboard.call;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Where the PBX adapter hands signals in: routes each to its call's entity by {@code pbx:linkedid}. Never blocks.
 * Signals from one thread for one call arrive in the order they were sent.
 */
public final class CallSignals {
  private final ClusterSharding sharding;
  private final ActorRef<CallEntity.Ack> ignore;
  private final CallMetrics metrics;

  public CallSignals(ActorSystem<?> system, CallMetrics metrics) {
    this.sharding = ClusterSharding.get(system);
    this.ignore = system.ignoreRef();
    this.metrics = metrics;
  }

  /** Fire and forget: the entity stores what matters; nothing waits for it. */
  public void tell(PbxSignal signal) {
    metrics.signal(signal);
    sharding.entityRefFor(CallEntity.ENTITY_KEY, signal.callId()).tell(new CallEntity.Signal(signal, ignore));
  }

  /** Completes when whatever the signal caused is durably stored. */
  public CompletionStage<CallEntity.Ack> ask(PbxSignal signal, Duration timeout) {
    metrics.signal(signal);
    return sharding.entityRefFor(CallEntity.ENTITY_KEY, signal.callId()).ask(reply -> new CallEntity.Signal(signal, reply), timeout);
  }

  public CompletionStage<CallEntity.State> get(String callId, Duration timeout) {
    return sharding.entityRefFor(CallEntity.ENTITY_KEY, callId).ask(CallEntity.Get::new, timeout);
  }
}
