package switchboard.pbx;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import switchboard.call.CallSignals;
import switchboard.metrics.Metrics;

/**
 * The node's AMI links: one supervised {@link AmiLink} per configured PBX (a PBX without an AMI host has none),
 * each with its status for {@code /readyz} and its view for the callback governor and the overflow mover.
 */
public final class PbxLinks {
    private record Link(ActorRef<AmiLink.Command> actor, PbxLinkStatus status, AmiCallbackPbx view) {}

    private final Map<String, Link> links;

    private PbxLinks(Map<String, Link> links) {
        this.links = links;
    }

    /** Starts a link for every PBX with an AMI host; {@code sourceVariable}: the dialplan's lead-source channel variable. */
    public static PbxLinks start(
            ActorSystem<?> system,
            List<PbxSettings> pbxes,
            String sourceVariable,
            CallSignals signals,
            Metrics metrics,
            Executor blocking) {
        var links = new LinkedHashMap<String, Link>();
        for (var pbx : pbxes) {
            if (!pbx.ami().configured()) continue;
            var status = new PbxLinkStatus();
            var translator =
                    new AmiTranslator(pbx.id(), Set.copyOf(pbx.inboundContexts()), sourceVariable, Instant::now);
            var view = new AmiCallbackPbx(status);
            var actor = system.systemActorOf(
                    AmiLink.create(pbx, translator, signals, status, metrics, blocking, view),
                    "ami-" + pbx.id(),
                    Props.empty());
            links.put(pbx.id(), new Link(actor, status, view));
        }
        return new PbxLinks(links);
    }

    /** What the callback governor and the overflow mover use of a PBX; empty when it has no AMI link. */
    public Optional<AmiCallbackPbx> view(String pbxId) {
        return Optional.ofNullable(links.get(pbxId)).map(Link::view);
    }

    /**
     * Adds each link's state to {@code components} ({@code pbx}, or {@code pbx:<id>} per PBX when there are several);
     * whether every link is up.
     */
    public boolean describe(Map<String, String> components) {
        if (links.isEmpty()) components.put("pbx", "not-configured");
        else if (links.size() == 1)
            components.put(
                    "pbx", links.values().iterator().next().status().get().describe());
        else
            links.forEach(
                    (id, l) -> components.put("pbx:" + id, l.status().get().describe()));
        return links.values().stream().allMatch(l -> l.status().get().ready());
    }

    /** Logs every link off (each within {@code timeout}); completes when all have stopped taking events. */
    public CompletableFuture<Void> stop(ActorSystem<?> system, Duration timeout) {
        var stops = new ArrayList<CompletableFuture<Done>>();
        for (var l : links.values()) {
            stops.add(AskPattern.<AmiLink.Command, Done>ask(l.actor(), AmiLink.Stop::new, timeout, system.scheduler())
                    .toCompletableFuture()
                    .exceptionally(e -> Done.getInstance()));
        }
        return CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new));
    }
}
