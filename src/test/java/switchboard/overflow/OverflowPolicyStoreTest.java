package switchboard.overflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import switchboard.EntityTestKit;

/** The store of API policy changes: only real changes are stored, removals win over the configuration, CBOR round trips. */
class OverflowPolicyStoreTest {
    private static ActorTestKit testKit;
    private static final Instant T0 = Instant.parse("2026-07-14T15:00:00Z");
    private static final List<OverflowPolicy> CONFIGURED = List.of(
            OverflowPolicy.parse("service", true, "45s", 0, false, List.of(), null, "queue:overflow"),
            OverflowPolicy.parse("billing", true, null, 4, false, List.of(), null, "offer-callback"));

    @BeforeAll
    static void start() {
        testKit = EntityTestKit.create("OverflowPolicyStoreTest");
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void storesChangesOverTheConfiguration() {
        EventSourcedBehaviorTestKit<OverflowPolicyStore.Command, OverflowPolicyStore.Event, OverflowPolicyStore.State>
                store = EventSourcedBehaviorTestKit.create(testKit.system(), OverflowPolicyStore.create("main"));
        var spec = OverflowPolicy.parse(
                        "service",
                        true,
                        "20s",
                        0,
                        true,
                        List.of("PPC", "LSA"),
                        "07:00-19:00",
                        "number:PJSIP/+15550001111@carrier")
                .spec();
        var put = store.<OverflowPolicyStore.State>runCommand(r -> new OverflowPolicyStore.Put(spec, T0, r));
        assertInstanceOf(OverflowPolicyStore.PolicyPut.class, put.event());
        assertTrue(
                store.<OverflowPolicyStore.State>runCommand(r -> new OverflowPolicyStore.Put(spec, T0, r))
                        .hasNoEvents(),
                "the same policy again is no change");
        var removed =
                store.<OverflowPolicyStore.State>runCommand(r -> new OverflowPolicyStore.Remove("billing", T0, r));
        assertInstanceOf(OverflowPolicyStore.PolicyRemoved.class, removed.event());
        assertTrue(store.<OverflowPolicyStore.State>runCommand(r -> new OverflowPolicyStore.Remove("billing", T0, r))
                .hasNoEvents());

        var effective = removed.state().over(CONFIGURED);
        assertEquals(1, effective.size(), effective.toString());
        var service = effective.get(0);
        assertEquals(Duration.ofSeconds(20), service.maxWait());
        assertEquals(spec, service.spec(), "the text form round trips");

        store.restart();
        assertEquals(effective, store.getState().over(CONFIGURED), "recovered from its events");
    }
}
