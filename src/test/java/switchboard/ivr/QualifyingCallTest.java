package switchboard.ivr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import switchboard.booking.Flow;
import switchboard.lead.LeadEntity;
import switchboard.lead.LeadIdentity;
import switchboard.lead.Qualification;
import switchboard.lead.Qualification.Channel;
import switchboard.lead.Qualification.CustomerStatus;
import switchboard.lead.Qualification.Urgency;

class QualifyingCallTest {
    private static final Instant AT = Instant.parse("2026-12-05T15:00:00Z");

    @Test
    void theCsrSeesWhatWasAnsweredShortAndAnOutsideZipMarked() {
        var q = new Qualification("repair", "27601", true, Urgency.SOON, CustomerStatus.NEW, Channel.IVR, AT);
        assertEquals("IVR repair 27601 SOON NEW ESTIMATE", QualifyingCall.whisper(q, Flow.ESTIMATE));
        var out = new Qualification("repair", "90210", false, null, null, Channel.IVR, AT);
        assertEquals("IVR repair 90210 OUT", QualifyingCall.whisper(out, Flow.HUMAN_REVIEW));
        assertEquals("IVR ?", QualifyingCall.whisper(Qualification.empty(Channel.IVR, AT), null));
    }

    @Test
    void anUnknownLeadIsAskedEverything() {
        var known = QualifyingCall.knownAnswers(null, AT);
        assertEquals(true, known.isEmpty());
        assertEquals(Channel.IVR, known.channel());
    }

    @Test
    void answersForTheOpenRecoveryAreNotAskedAgainButOlderOnesAre() {
        var opened = AT.minusSeconds(600);
        var fresh = new Qualification("plumbing", "27601", true, null, null, Channel.WEB, AT.minusSeconds(60));
        var known = QualifyingCall.knownAnswers(lead(opened, fresh, 0), AT);
        assertEquals("plumbing", known.service());
        assertEquals("27601", known.zip());
        assertEquals(Channel.IVR, known.channel());

        var old = new Qualification(
                "plumbing", "27601", true, null, CustomerStatus.MEMBER, Channel.IVR, opened.minusSeconds(86400));
        var again = QualifyingCall.knownAnswers(lead(opened, old, 0), AT);
        assertEquals(null, again.service(), "last month's answers are asked again");
        assertEquals(CustomerStatus.MEMBER, again.customer(), "but a member stays a member");
    }

    @Test
    void someoneWhoGotThroughBeforeIsAnExistingCustomer() {
        var known = QualifyingCall.knownAnswers(lead(AT.minusSeconds(600), null, 2), AT);
        assertEquals(CustomerStatus.EXISTING, known.customer());
        assertEquals(
                null,
                QualifyingCall.knownAnswers(lead(AT.minusSeconds(600), null, 0), AT)
                        .customer());
    }

    @Test
    void theEntryNamesTheGreeting() {
        assertEquals(QualifyingCall.Entry.CALLBACK, QualifyingCall.Entry.of("callback"));
        assertEquals(QualifyingCall.Entry.AFTER_HOURS, QualifyingCall.Entry.of(" After-Hours "));
        assertEquals(QualifyingCall.Entry.OVERFLOW, QualifyingCall.Entry.of("overflow"));
        assertEquals(QualifyingCall.Entry.OTHER, QualifyingCall.Entry.of(null));
        assertEquals(QualifyingCall.Entry.OTHER, QualifyingCall.Entry.of("ivr-9"));
    }

    private static LeadEntity.State lead(Instant openedAt, Qualification q, int answeredCalls) {
        var identity = new LeadIdentity("t:+19195550100", "t", "+19195550100", "+19195550100", null);
        var recovery = new LeadEntity.Recovery(
                "t:+19195550100#1",
                switchboard.lead.RecoveryStatus.OPEN,
                "IVR_HANGUP",
                null,
                openedAt,
                openedAt,
                1,
                false,
                List.of("c1"),
                null,
                null,
                null);
        return new LeadEntity.State(
                "t:+19195550100",
                identity,
                null,
                null,
                openedAt,
                openedAt,
                1,
                answeredCalls,
                null,
                List.of("c1"),
                1,
                recovery,
                null,
                q,
                null,
                null,
                null,
                null);
    }
}
