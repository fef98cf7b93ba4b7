package switchboard.booking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import switchboard.booking.BookingRules.Situation;
import switchboard.lead.Qualification.CustomerStatus;
import switchboard.lead.Qualification.Urgency;
import switchboard.qualify.ServiceMenu;

/** The shipped rule table, one row per case a contractor asks about. "-" is unknown. */
class BookingRulesTest {
    private final BookingRules rules = BookingRules.defaults();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        # case                                 | service     | zip   | area  | urgency   | customer | hours       | free  | flow            | rule
        a repair, soon, in area               | repair      | 27601 | true  | SOON      | NEW      | OPEN        | true  | BOOK_SERVICE    | book-service
        a repair with no free window           | repair      | 27601 | true  | SOON      | EXISTING | OPEN        | false | HUMAN_REVIEW    | no-free-window
        outside the area                       | repair      | 90210 | false | SOON      | NEW      | OPEN        | true  | NOT_SERVICEABLE | outside-service-area
        outside the area outranks an emergency | repair      | 90210 | false | EMERGENCY | NEW      | OPEN        | true  | NOT_SERVICEABLE | outside-service-area
        a service not offered                  | roofing     | 27601 | true  | SOON      | NEW      | OPEN        | true  | NOT_SERVICEABLE | service-not-offered
        an emergency at night                  | repair      | 27601 | true  | EMERGENCY | NEW      | AFTER_HOURS | false | EMERGENCY       | emergency
        an emergency before the ZIP was given  | repair      | -     | -     | EMERGENCY | -        | HOLIDAY     | false | EMERGENCY       | emergency
        someone else                           | other       | 27601 | true  | SOON      | NEW      | OPEN        | true  | HUMAN_REVIEW    | someone-else
        hung up after the service              | repair      | -     | -     | -         | -        | OPEN        | true  | HUMAN_REVIEW    | incomplete
        a member's tune-up                     | maintenance | 27601 | true  | SOON      | MEMBER   | OPEN        | true  | MEMBERSHIP      | members-first
        a member asking for a new system       | install     | 27601 | true  | SOON      | MEMBER   | OPEN        | true  | MEMBERSHIP      | members-first
        a new system                           | install     | 27601 | true  | SOON      | NEW      | OPEN        | true  | INSTALL         | install
        a new system, just a quote             | install     | 27601 | true  | QUOTE     | NEW      | OPEN        | true  | INSTALL         | install
        a quote for a repair                   | repair      | 27601 | true  | QUOTE     | EXISTING | OPEN        | true  | ESTIMATE        | quote
        a quote with no window free            | plumbing    | 27601 | true  | QUOTE     | NEW      | OPEN        | false | ESTIMATE        | quote
        """)
    void theShippedTable(
            String name,
            String service,
            String zip,
            String area,
            String urgency,
            String customer,
            String hours,
            boolean free,
            Flow flow,
            String rule) {
        var menu = ServiceMenu.defaults();
        var option = menu.byService(service);
        var s = new Situation(
                service,
                option.map(ServiceMenu.Option::kind).orElse(null),
                option.isPresent(),
                dash(zip),
                dash(area) == null ? null : Boolean.valueOf(area),
                dash(urgency) == null ? null : Urgency.valueOf(urgency),
                dash(customer) == null ? null : CustomerStatus.valueOf(customer),
                OpenHours.State.valueOf(hours),
                free);
        assertEquals(new BookingRules.Decision(flow, rule), rules.decide(s), name);
    }

    @Test
    void aTableWithoutACatchAllStillDecidesEveryCaller() {
        var onlyEmergencies = new BookingRules(List.of(new BookingRules.Rule(
                "emergency",
                new BookingRules.When(null, null, null, null, Set.of(Urgency.EMERGENCY), null, null, null, null),
                Flow.EMERGENCY)));
        var s = new Situation(
                "repair", ServiceMenu.Kind.REPAIR, true, "27601", true, Urgency.SOON, null, OpenHours.State.OPEN, true);
        assertEquals(
                new BookingRules.Decision(Flow.HUMAN_REVIEW, BookingRules.NO_RULE_MATCHED), onlyEmergencies.decide(s));
    }

    @Test
    void aContractorsOwnRuleComesFirst() {
        var custom = new java.util.ArrayList<BookingRules.Rule>();
        custom.add(new BookingRules.Rule(
                "holiday-repairs-to-a-person",
                new BookingRules.When(
                        Set.of("repair"), null, null, null, null, null, Set.of(OpenHours.State.HOLIDAY), null, null),
                Flow.HUMAN_REVIEW));
        custom.addAll(BookingRules.defaults().rules());
        var s = new Situation(
                "repair",
                ServiceMenu.Kind.REPAIR,
                true,
                "27601",
                true,
                Urgency.SOON,
                null,
                OpenHours.State.HOLIDAY,
                true);
        assertEquals(
                "holiday-repairs-to-a-person",
                new BookingRules(custom).decide(s).rule());
        assertEquals(Flow.BOOK_SERVICE, BookingRules.defaults().decide(s).flow());
    }

    @Test
    void ruleNamesAreUniqueAndEveryRuleHasAFlow() {
        var r = new BookingRules.Rule("x", null, Flow.ESTIMATE);
        assertThrows(IllegalArgumentException.class, () -> new BookingRules(List.of(r, r)));
        assertThrows(IllegalArgumentException.class, () -> new BookingRules.Rule("y", null, null));
    }

    private static String dash(String v) {
        return v == null || v.equals("-") ? null : v;
    }
}
