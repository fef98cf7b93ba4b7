package switchboard.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import switchboard.sms.SmsKeywords.Intent;

class SmsKeywordsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "STOP",
                "stop",
                "Stop",
                "STOPALL",
                "UNSUBSCRIBE",
                "cancel",
                "End",
                "QUIT",
                "revoke",
                "OPTOUT",
                "OPT OUT",
                "opt out",
                "Opt-Out",
                "  stop  ",
                "stop.",
                "STOP!!!",
                "Stop texting me",
                "stop, wrong number",
                "QUIT it",
                "opt out please",
                "\"STOP\"",
                "Stóp"
            })
    void optOutAloneOrLeadingInAnyCase(String text) {
        assertEquals(Intent.OPT_OUT, SmsKeywords.classify(text).intent(), text);
    }

    @Test
    void theKeywordIsReportedAsMatched() {
        assertEquals("OPT OUT", SmsKeywords.classify("opt-out now").keyword());
        assertEquals("STOPALL", SmsKeywords.classify("stopall").keyword());
        assertEquals("CANCEL", SmsKeywords.classify("Cancel my appointment").keyword());
    }

    @ParameterizedTest
    @ValueSource(strings = {"START", "start", "Unstop", "START please", "start."})
    void startAndUnstopResume(String text) {
        assertEquals(Intent.OPT_IN, SmsKeywords.classify(text).intent(), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HELP", "help", "Help?", "help me"})
    void helpAsksForHelp(String text) {
        assertEquals(Intent.HELP, SmsKeywords.classify(text).intent(), text);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   ",
                "please don't stop",
                "the leak will not stop",
                "Stopped working yesterday",
                "stopping by at 5?",
                "ending soon",
                "opt",
                "optional",
                "out of heat",
                "helpful, thanks",
                "starter motor",
                "I need help with my furnace", // HELP not leading: a reply a person reads
                "no heat 27601"
            })
    void anythingElseIsAReply(String text) {
        assertEquals(Intent.NONE, SmsKeywords.classify(text).intent(), text);
    }

    @Test
    void nullIsAReplyOfNothing() {
        assertEquals(Intent.NONE, SmsKeywords.classify(null).intent());
    }

    @Test
    void aVeryLongTextIsStillReadByItsFirstWord() {
        assertEquals(
                Intent.OPT_OUT,
                SmsKeywords.classify("STOP " + "x".repeat(2_000)).intent());
        assertEquals(
                Intent.NONE, SmsKeywords.classify("x".repeat(2_000) + " STOP").intent());
    }
}
