package switchboard.booking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import switchboard.booking.RuleTable.When;
import switchboard.booking.RuleTable.Written;

/** The written form of the rule table: round trips, any case, and errors that name the rule and field. */
class RuleTableTest {
    private static final Set<String> MENU = Set.of("repair", "install", "other");

    private static When when(List<String> urgency, List<String> hours) {
        return new When(null, null, null, null, urgency, null, hours, null, null);
    }

    @Test
    void theShippedTableRoundTripsThroughItsWrittenForm() {
        var written = RuleTable.write(BookingRules.defaults());
        assertEquals(BookingRules.defaults(), RuleTable.parse(written, null));
        assertEquals("book-service", written.get(written.size() - 1).name());
        assertEquals(null, written.get(written.size() - 1).when(), "a rule that always holds has no when");
        assertEquals(List.of("emergency"), written.get(2).when().urgency());
        assertEquals("EMERGENCY", written.get(2).then());
    }

    @Test
    void namesAreReadInAnyCaseAndWithDashes() {
        var rules = RuleTable.parse(
                List.of(
                        new Written("after-hours", when(List.of("Emergency"), List.of("after-hours")), "human_review"),
                        new Written("rest", null, "book-service")),
                MENU);
        var rule = rules.rules().get(0);
        assertEquals(Flow.HUMAN_REVIEW, rule.then());
        assertEquals(Set.of(OpenHours.State.AFTER_HOURS), rule.when().hours());
        assertEquals(Flow.BOOK_SERVICE, rules.rules().get(1).then());
    }

    @Test
    void anEmptyTableSendsEveryoneToAPerson() {
        var rules = RuleTable.parse(List.of(), MENU);
        var any =
                new BookingRules.Situation("repair", null, true, "27601", true, null, null, OpenHours.State.OPEN, true);
        assertEquals(Flow.HUMAN_REVIEW, rules.decide(any).flow());
        assertEquals(BookingRules.NO_RULE_MATCHED, rules.decide(any).rule());
    }

    @Test
    void aBadTableNamesTheRuleAndTheField() {
        assertBad(List.of(new Written("x", null, "MAYBE")), "rules[0].then", "'MAYBE' is not one of");
        assertBad(
                List.of(
                        new Written("ok", null, "BOOK_SERVICE"),
                        new Written("y", when(List.of("tomorrow"), null), "EMERGENCY")),
                "rules[1].when.urgency",
                "'tomorrow' is not one of [emergency, soon, quote]");
        assertBad(List.of(new Written("z", when(null, List.of("lunch")), "EMERGENCY")), "rules[0].when.hours", "lunch");
        assertBad(
                List.of(new Written(
                        "k", new When(null, List.of("roof"), null, null, null, null, null, null, null), "INSTALL")),
                "rules[0].when.kinds",
                "'roof' is not one of");
        assertBad(
                List.of(new Written(
                        "c", new When(null, null, null, null, null, List.of("vip"), null, null, null), "INSTALL")),
                "rules[0].when.customer",
                "'vip'");
        assertBad(
                List.of(new Written(
                        "s", new When(List.of("roofing"), null, null, null, null, null, null, null, null), "INSTALL")),
                "rules[0].when.services",
                "not a service on the menu");
        assertBad(List.of(new Written(" ", null, "INSTALL")), "rules[0].name", "needs a name");
        assertBad(List.of(new Written("n", null, null)), "rules[0].then", "needs a flow");
        assertBad(
                List.of(new Written("twice", null, "INSTALL"), new Written("twice", null, "ESTIMATE")),
                "rules[1].name",
                "already names rules[0]");
    }

    private static void assertBad(List<Written> table, String field, String says) {
        var e = assertThrows(RuleTable.BadRule.class, () -> RuleTable.parse(table, MENU));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(says), e.getMessage());
    }
}
