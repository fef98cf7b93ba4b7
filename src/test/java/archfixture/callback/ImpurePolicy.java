package archfixture.callback;

import archfixture.common.DecisionLogic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.pekko.actor.typed.ActorRef;

/** Marked pure, yet reads the wall clock, a file and holds an actor. */
@DecisionLogic
public final class ImpurePolicy {
    ActorRef<String> actor;

    boolean decide() throws Exception {
        return Instant.now().isAfter(Instant.EPOCH) && Files.exists(Path.of("x"));
    }
}
