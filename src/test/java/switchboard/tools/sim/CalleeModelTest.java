package switchboard.tools.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CalleeModelTest {
    @Test
    void theSameSeedNumberAndAttemptGiveTheSameDecision() {
        var a = CalleeModel.typical(42);
        var b = CalleeModel.typical(42);
        for (int i = 0; i < 200; i++) assertEquals(a.decide("+1919555" + i, i % 3), b.decide("+1919555" + i, i % 3));
        long differs = 0;
        var c = CalleeModel.typical(43);
        for (int i = 0; i < 200; i++) if (!a.decide("+1919555" + i, 0).equals(c.decide("+1919555" + i, 0))) differs++;
        assertTrue(differs > 50, "another seed, other callees: " + differs);
    }

    @Test
    void sharesAndDurationsFollowTheModel() {
        var m = CalleeModel.typical(7);
        var counts = new EnumMap<CalleeModel.Behaviour, Integer>(CalleeModel.Behaviour.class);
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            var d = m.decide("+1984" + (5_000_000 + i), 0);
            counts.merge(d.behaviour(), 1, Integer::sum);
            if (d.behaviour() == CalleeModel.Behaviour.ANSWER) {
                assertTrue(
                        d.delay().compareTo(m.answerMin()) >= 0 && d.delay().compareTo(m.answerMax()) <= 0,
                        d.toString());
                assertTrue(d.talk().compareTo(m.talkMin()) >= 0 && d.talk().compareTo(m.talkMax()) <= 0, d.toString());
            }
        }
        var want = Map.of(
                CalleeModel.Behaviour.ANSWER,
                m.answer(),
                CalleeModel.Behaviour.BUSY,
                m.busy(),
                CalleeModel.Behaviour.NO_ANSWER,
                m.noAnswer(),
                CalleeModel.Behaviour.CONGESTION,
                m.congestion(),
                CalleeModel.Behaviour.FAILURE,
                m.failure());
        for (var e : want.entrySet())
            assertEquals(
                    e.getValue(),
                    counts.getOrDefault(e.getKey(), 0) / (double) n,
                    0.015,
                    e.getKey().toString());
    }

    @Test
    void aPinnedNumberAlwaysBehavesAsPinned() {
        var busy = new CalleeModel.Decision(CalleeModel.Behaviour.BUSY, Duration.ofMillis(50), Duration.ZERO);
        var m = CalleeModel.typical(1).pin("+19195550100", busy);
        for (int i = 0; i < 20; i++) assertEquals(busy, m.decide("+19195550100", i));
        for (int i = 0; i < 20; i++)
            assertEquals(
                    CalleeModel.typical(1).decide("+19195550199", i),
                    m.decide("+19195550199", i),
                    "other numbers as before");
        assertEquals(
                CalleeModel.Behaviour.FAILURE,
                CalleeModel.always(CalleeModel.Behaviour.FAILURE, Duration.ofMillis(6), Duration.ZERO)
                        .decide("+1", 0)
                        .behaviour());
        assertEquals(0, CalleeModel.Behaviour.FAILURE.reason);
        assertEquals(0, CalleeModel.Behaviour.CONGESTION.reason, "recorded: 503 gives Reason 0, not 8");
        assertEquals(0, CalleeModel.Behaviour.BUSY.reason, "recorded: 486 gives Reason 0, not 5");
    }

    @Test
    void nonsenseSharesAreRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new CalleeModel(
                        1,
                        0,
                        0,
                        0,
                        0,
                        0,
                        Duration.ZERO,
                        Duration.ZERO,
                        Duration.ZERO,
                        Duration.ZERO,
                        Duration.ZERO,
                        Map.of()));
        assertThrows(
                IllegalArgumentException.class,
                () -> new CalleeModel(
                        1,
                        -1,
                        2,
                        0,
                        0,
                        0,
                        Duration.ZERO,
                        Duration.ZERO,
                        Duration.ZERO,
                        Duration.ZERO,
                        Duration.ZERO,
                        Map.of()));
    }
}
