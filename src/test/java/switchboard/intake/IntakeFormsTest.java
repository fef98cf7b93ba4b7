package switchboard.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import switchboard.lead.LeadSource;
import switchboard.qualify.ServiceMenu;

class IntakeFormsTest {
    private static final ServiceMenu MENU = ServiceMenu.defaults();

    private static IntakeForms.Posted form(String id, String phone, Boolean complete) {
        return new IntakeForms.Posted(id, "Pat Doe", phone, null, null, "AC is out", null, complete, Map.of());
    }

    private static IntakeForms.Checked check(IntakeForms.Posted p) {
        return IntakeForms.check(p, "US", MENU);
    }

    private static IntakeForms.Submission valid(IntakeForms.Posted p) {
        return assertInstanceOf(IntakeForms.Valid.class, check(p)).submission();
    }

    private static String malformed(IntakeForms.Posted p) {
        return assertInstanceOf(IntakeForms.Malformed.class, check(p)).reason();
    }

    private static String unusable(IntakeForms.Posted p) {
        return assertInstanceOf(IntakeForms.Unusable.class, check(p)).reason();
    }

    @Test
    void aNationalNumberBecomesE164AndTheFormKeepsWhatWasSaid() {
        var s = valid(form(" f-1 ", "(919) 555-0100", false));
        assertEquals("f-1", s.formId());
        assertEquals("+19195550100", s.phone());
        assertEquals(false, s.complete());
        assertEquals("Pat Doe", s.name());
        assertEquals("AC is out", s.message());
        assertEquals(LeadSource.WEBSITE, s.source());
    }

    @Test
    void idPhoneAndCompleteAreRequired() {
        assertTrue(malformed(form(null, "+19195550100", true)).contains("\"id\""));
        assertTrue(malformed(form("  ", "+19195550100", true)).contains("\"id\""));
        assertTrue(malformed(form("f", null, true)).contains("\"phone\""));
        assertTrue(malformed(form("f", "+19195550100", null)).contains("\"complete\""));
    }

    @Test
    void aNumberThatCannotBeCalledBackIs422WithTheReason() {
        String r = unusable(form("f", "555-0100", true));
        assertTrue(r.contains("\"phone\"") && r.contains("invalid number"), r);
        assertTrue(unusable(form("f", "anonymous", true)).contains("withheld"));
        assertTrue(unusable(form("f", "+1 000 000 0000", true)).contains("\"phone\""));
        assertTrue(unusable(form("f", "x".repeat(50), true)).contains("\"phone\""));
    }

    @Test
    void zipServiceAndSourceAreCheckedNotDropped() {
        var p = new IntakeForms.Posted("f", null, "+19195550100", "27601-1234", "Repair", null, "ppc", true, Map.of());
        var s = valid(p);
        assertEquals("27601", s.zip());
        assertEquals("repair", s.service());
        assertEquals(LeadSource.PPC, s.source());
        assertTrue(unusable(new IntakeForms.Posted("f", null, "+19195550100", "2760", null, null, null, true, Map.of()))
                .contains("\"zip\""));
        String r =
                unusable(new IntakeForms.Posted("f", null, "+19195550100", null, "roof", null, null, true, Map.of()));
        assertTrue(r.contains("not on the menu") && r.contains("repair"), r);
        r = unusable(new IntakeForms.Posted("f", null, "+19195550100", null, null, null, "facebook", true, Map.of()));
        assertTrue(r.contains("\"source\"") && r.contains("WEBSITE"), r);
        assertTrue(
                unusable(new IntakeForms.Posted("f", null, "+19195550100", null, null, null, "unknown", true, Map.of()))
                        .contains("\"source\""));
    }

    @Test
    void withoutASourceTheCampaignMediumDecides() {
        assertEquals(LeadSource.PPC, IntakeForms.sourceOfMedium("CPC"));
        assertEquals(LeadSource.SEO, IntakeForms.sourceOfMedium("organic"));
        assertEquals(LeadSource.REFERRAL, IntakeForms.sourceOfMedium("referral"));
        assertEquals(LeadSource.WEBSITE, IntakeForms.sourceOfMedium("email"));
        assertEquals(LeadSource.WEBSITE, IntakeForms.sourceOfMedium(null));
        var s = valid(new IntakeForms.Posted(
                "f",
                null,
                "+19195550100",
                null,
                null,
                null,
                null,
                false,
                Map.of("utm_medium", "cpc", "utm_campaign", "spring-tuneup", "utm_term", " ")));
        assertEquals(LeadSource.PPC, s.source());
        assertEquals(Map.of("utm_medium", "cpc", "utm_campaign", "spring-tuneup"), s.utm());
    }

    @Test
    void tooLongFieldsAre422() {
        assertTrue(unusable(form("i".repeat(101), "+19195550100", true)).contains("\"id\""));
        assertTrue(unusable(new IntakeForms.Posted(
                        "f", "n".repeat(201), "+19195550100", null, null, null, null, true, Map.of()))
                .contains("\"name\""));
        assertTrue(unusable(new IntakeForms.Posted(
                        "f", null, "+19195550100", null, null, "m".repeat(5001), null, true, Map.of()))
                .contains("\"message\""));
        assertTrue(unusable(new IntakeForms.Posted(
                        "f", null, "+19195550100", null, null, null, null, true, Map.of("utm_source", "u".repeat(201))))
                .contains("utm_source"));
        assertTrue(unusable(form("a\nb", "+19195550100", true)).contains("control"));
    }
}
