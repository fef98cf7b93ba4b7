package switchboard.qualify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import switchboard.lead.Qualification;
import switchboard.lead.Qualification.CustomerStatus;
import switchboard.lead.Qualification.Urgency;
import switchboard.qualify.Interview.Ask;
import switchboard.qualify.Interview.Step;

class InterviewTest {
    private static final Instant T0 = Instant.parse("2026-12-07T15:00:00Z");
    private final ServiceMenu menu = ServiceMenu.defaults();
    private final ServiceArea area = new ServiceArea(List.of("276"), Map.of());

    private Interview.Turn turn;

    private Interview.Action press(String digits) {
        turn = turn.next()
                .next(new Interview.Pressed(digits), menu, area, Interview.DEFAULT_MAX_FAILURES, T0.plusSeconds(5));
        return turn.action();
    }

    private Interview.Action silence() {
        turn = turn.next().next(new Interview.NoInput(), menu, area, Interview.DEFAULT_MAX_FAILURES, T0.plusSeconds(5));
        return turn.action();
    }

    private void startBlank() {
        turn = Interview.start(Qualification.empty(Qualification.Channel.IVR, T0));
    }

    @Test
    void theWholeInterviewInOrder() {
        startBlank();
        assertEquals(new Ask(Step.SERVICE, false), turn.action());
        assertEquals(new Ask(Step.ZIP, false), press("1"));
        assertEquals(new Interview.ReadBack("27601"), press("27601"));
        assertEquals(new Ask(Step.URGENCY, false), press("1"));
        assertEquals(new Ask(Step.CUSTOMER, false), press("2"));
        var done = assertInstanceOf(Interview.Finished.class, press("3"));
        var q = done.answers();
        assertEquals("repair", q.service());
        assertEquals("27601", q.zip());
        assertEquals(Boolean.TRUE, q.inServiceArea());
        assertEquals(Urgency.SOON, q.urgency());
        assertEquals(CustomerStatus.MEMBER, q.customer());
        assertEquals(Qualification.Channel.IVR, q.channel());
        assertEquals(T0.plusSeconds(5), q.at());
        assertThrows(IllegalStateException.class, () -> press("1"), "over is over");
    }

    @Test
    void aZipOutsideTheAreaIsRecordedAsSuch() {
        startBlank();
        press("1");
        press("90210");
        press("1");
        press("2");
        var q = assertInstanceOf(Interview.Finished.class, press("1")).answers();
        assertEquals("90210", q.zip());
        assertEquals(Boolean.FALSE, q.inServiceArea());
    }

    @Test
    void anEmergencyEndsTheInterviewAtOnce() {
        startBlank();
        press("4");
        press("27601");
        press("1");
        var q = assertInstanceOf(Interview.Finished.class, press("1")).answers();
        assertEquals(Urgency.EMERGENCY, q.urgency());
        assertNull(q.customer(), "not asked: they are connected now");
    }

    @Test
    void invalidDigitsTwiceHandTheCallerToAPersonWithWhatIsKnown() {
        startBlank();
        press("2");
        assertEquals(new Ask(Step.ZIP, true), press("123"), "too short: asked again");
        var off = assertInstanceOf(Interview.HandOff.class, silence());
        assertEquals(Step.ZIP, off.at());
        assertEquals("maintenance", off.answers().service());
    }

    @Test
    void aKeyOffTheMenuIsAFailureToo() {
        startBlank();
        assertEquals(new Ask(Step.SERVICE, true), press("9"));
        assertEquals(new Ask(Step.ZIP, false), press("3"), "a good answer resets the count");
        press("27601");
        assertEquals(new Ask(Step.ZIP, false), press("2"), "2 at the read-back: enter it again, no apology");
        press("27602");
        assertEquals(new Ask(Step.URGENCY, false), press("1"));
        assertEquals("27602", turn.next().answers().zip());
    }

    @Test
    void aHangUpKeepsTheAnswersGiven() {
        startBlank();
        press("1");
        turn = turn.next().next(new Interview.HungUp(), menu, area, 2, T0);
        var gone = assertInstanceOf(Interview.Abandoned.class, turn.action());
        assertEquals("repair", gone.answers().service());
        assertEquals(Step.ZIP, gone.at());
    }

    @Test
    void whatTheLeadAlreadyKnowsIsNotAskedAgain() {
        var known = Qualification.empty(Qualification.Channel.IVR, T0).withCustomer(CustomerStatus.EXISTING);
        turn = Interview.start(known);
        press("1");
        press("27601");
        press("1");
        var q = assertInstanceOf(Interview.Finished.class, press("3")).answers();
        assertEquals(Urgency.QUOTE, q.urgency());
        assertEquals(CustomerStatus.EXISTING, q.customer());

        var web = known.withService("install").withZip("27601", true).withUrgency(Urgency.QUOTE);
        assertInstanceOf(Interview.Finished.class, Interview.start(web).action(), "a complete web form asks nothing");
    }
}
