package switchboard.booking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import switchboard.EntityTestKit;

/** The store of the API's rule table: only real changes are stored, it recovers from its events, CBOR round trips. */
class BookingRuleStoreTest {
    private static ActorTestKit testKit;
    private static final Instant T0 = Instant.parse("2026-12-05T15:00:00Z");

    @BeforeAll
    static void start() {
        testKit = EntityTestKit.create("BookingRuleStoreTest");
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void storesATableRecoversItAndGoesBackToTheConfiguration() {
        EventSourcedBehaviorTestKit<BookingRuleStore.Command, BookingRuleStore.Event, BookingRuleStore.State> store =
                EventSourcedBehaviorTestKit.create(testKit.system(), BookingRuleStore.create("acme"));
        assertFalse(store.getState().stored(), "nothing stored: the configuration's table applies");
        var table = List.of(
                new RuleTable.Written(
                        "holiday-repairs",
                        new RuleTable.When(
                                List.of("repair"), null, null, null, null, null, List.of("holiday"), null, null),
                        "HUMAN_REVIEW"),
                new RuleTable.Written(
                        "outside",
                        new RuleTable.When(null, null, null, false, null, null, null, null, null),
                        "NOT_SERVICEABLE"),
                new RuleTable.Written("rest", null, "BOOK_SERVICE"));

        var put = store.<BookingRuleStore.State>runCommand(r -> new BookingRuleStore.Replace(table, "api", T0, r));
        assertInstanceOf(BookingRuleStore.RulesReplaced.class, put.event());
        assertEquals(table, put.reply().rules());
        assertTrue(
                store.<BookingRuleStore.State>runCommand(
                                r -> new BookingRuleStore.Replace(table, "api", T0.plusSeconds(5), r))
                        .hasNoEvents(),
                "the same table again is no change");

        store.restart();
        assertEquals(table, store.getState().rules(), "recovered from its events");
        assertEquals(T0, store.getState().at());
        assertEquals(
                RuleTable.parse(table, null),
                RuleTable.parse(store.getState().rules(), null),
                "and still reads the same");

        var empty = store.<BookingRuleStore.State>runCommand(
                r -> new BookingRuleStore.Replace(List.of(), "api", T0.plusSeconds(10), r));
        assertInstanceOf(BookingRuleStore.RulesReplaced.class, empty.event());
        assertTrue(empty.reply().stored(), "an empty table is a table");

        var reset =
                store.<BookingRuleStore.State>runCommand(r -> new BookingRuleStore.Reset("api", T0.plusSeconds(20), r));
        assertInstanceOf(BookingRuleStore.RulesReset.class, reset.event());
        assertTrue(
                store.<BookingRuleStore.State>runCommand(r -> new BookingRuleStore.Reset("api", T0.plusSeconds(30), r))
                        .hasNoEvents());
        store.restart();
        assertFalse(store.getState().stored());
        assertEquals(T0.plusSeconds(20), store.getState().at());
    }
}
