package switchboard.pbx;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import switchboard.callback.CallbackPbx;

/**
 * The callback governor's and overflow's view of one PBX over AMI: Originates and moves go to the link actor
 * (which owns the connection); what becomes of each callback channel, the live queues and the callers' answers
 * to a callback offer come from the link's event stream. Thread-safe.
 */
public final class AmiCallbackPbx implements CallbackPbx, switchboard.overflow.OverflowPbx {
    static final String CHANNEL_PREFIX = switchboard.lead.LeadEntity.CALLBACK_CHANNEL_PREFIX;

    final QueueWatch queues = new QueueWatch();
    private final PbxLinkStatus status;
    private volatile ActorRef<AmiLink.Command> link;
    private volatile Consumer<Event> sink = e -> {};
    private volatile Consumer<OfferAnswer> offerSink = o -> {};

    public AmiCallbackPbx(PbxLinkStatus status) {
        this.status = status;
    }

    void attach(ActorRef<AmiLink.Command> link) {
        this.link = link;
    }

    @Override
    public void events(Consumer<Event> sink) {
        this.sink = sink;
    }

    void emit(Event e) {
        sink.accept(e);
    }

    @Override
    public void originate(Dial dial) {
        var l = link;
        if (l == null) emit(new Refused(dial.attemptId(), "no AMI link"));
        else l.tell(new AmiLink.Originate(dial));
    }

    @Override
    public void reconcile(String attemptId, String channelId) {
        var l = link;
        if (l == null) emit(new Vanished(attemptId));
        else l.tell(new AmiLink.Reconcile(attemptId, channelId));
    }

    @Override
    public java.util.List<switchboard.overflow.QueueView> queues() {
        return queues.views();
    }

    @Override
    public java.util.concurrent.CompletionStage<String> move(
            String uniqueId,
            String fromQueue,
            String channel,
            String did,
            java.util.Map<String, String> variables,
            switchboard.overflow.OverflowPolicy.Destination to) {
        var l = link;
        var result = new java.util.concurrent.CompletableFuture<String>();
        if (l == null) {
            result.complete("no AMI link");
            return result;
        }
        queues.moving(uniqueId, fromQueue);
        l.tell(new AmiLink.Move(channel, did, variables, to, result));
        return result;
    }

    @Override
    public void offers(Consumer<OfferAnswer> sink) {
        this.offerSink = sink;
    }

    void offerAnswered(OfferAnswer a) {
        offerSink.accept(a);
    }

    @Override
    public int freeMembers(String queue) {
        return queues.free(queue);
    }

    @Override
    public Duration longestInboundWait() {
        return queues.longestWait(Instant.now());
    }

    @Override
    public boolean connected() {
        return status.get().ready();
    }
}
