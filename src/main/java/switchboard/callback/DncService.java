package switchboard.callback;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The do-not-call list every dial is checked against ({@link DncList}, shared by the API and the governor): the
 * numbers listed through the API, stored per tenant ({@link DncEntity}) before they count and re-read every 5 s
 * (other nodes' additions), and the configured DNC file, imported when callbacks start.
 */
public final class DncService {
    private static final Logger log = LoggerFactory.getLogger(DncService.class);
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

    private final DncList list;
    private final EntityRef<DncEntity.Command> store;

    private DncService(ActorSystem<?> system, String tenant, String region) {
        this.list = new DncList(region);
        this.store = ClusterSharding.get(system).entityRefFor(DncEntity.ENTITY_KEY, tenant);
    }

    /** Loads the tenant's stored numbers now (blocking: at start) and every 5 s after. */
    public static DncService start(ActorSystem<?> system, String tenant, String region) throws Exception {
        var dnc = new DncService(system, tenant, region);
        var state = dnc.stored().toCompletableFuture().get(ASK_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        dnc.list.addStored(state.numbers());
        if (!state.numbers().isEmpty())
            log.info(
                    "DNC list: {} numbers listed through the API",
                    state.numbers().size());
        system.scheduler()
                .scheduleWithFixedDelay(
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(5),
                        () -> dnc.stored().thenAccept(s -> dnc.list.addStored(s.numbers())),
                        system.executionContext());
        return dnc;
    }

    public DncList list() {
        return list;
    }

    /** Adds the numbers of a DNC file (one per line) and logs what it found. */
    public void importFile(String file) throws IOException {
        var imported = list.importLines(Files.readString(Path.of(file)));
        log.info(
                "DNC list {}: {} numbers added, {} already listed, {} lines not numbers{}",
                file,
                imported.added(),
                imported.alreadyListed(),
                imported.rejected().size(),
                imported.rejected().isEmpty()
                        ? ""
                        : " (first: line " + imported.rejected().get(0).line() + ", "
                                + imported.rejected().get(0).problem() + ")");
    }

    /** Puts a number on the list, stored first so a restart keeps it; its E.164 form. IllegalArgumentException: not a number. */
    public CompletionStage<String> add(String raw) {
        String e164 = list.normalise(raw);
        return store.<DncEntity.Changed>ask(r -> new DncEntity.Add(e164, Instant.now(), r), ASK_TIMEOUT)
                .thenApply(c -> {
                    list.add(e164);
                    return e164;
                });
    }

    /** Takes a number off the list; whether it was on it. IllegalArgumentException: not a number. */
    public CompletionStage<Boolean> remove(String raw) {
        String e164 = list.normalise(raw);
        return store.<DncEntity.Changed>ask(r -> new DncEntity.Remove(e164, Instant.now(), r), ASK_TIMEOUT)
                .thenApply(c -> list.remove(e164) || c.changed());
    }

    private CompletionStage<DncEntity.State> stored() {
        return store.ask(DncEntity.Get::new, ASK_TIMEOUT);
    }
}
