package switchboard.booking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import switchboard.EntityTestKit;

class BoardDayTest {
    private static final ActorTestKit KIT = EntityTestKit.create("BoardDayTest");
    private static final Instant T0 = Instant.parse("2026-12-07T15:00:00Z");
    private static final Duration ASK = Duration.ofSeconds(10);

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    private static BoardDay.Reply book(ActorRef<BoardDay.Command> day, String window, int capacity, String lead) {
        return ask(day, r -> new BoardDay.Book(window, capacity, lead, "ivr", T0, r));
    }

    private static <T> T ask(
            ActorRef<BoardDay.Command> day,
            org.apache.pekko.japi.function.Function<ActorRef<T>, BoardDay.Command> msg) {
        return AskPattern.ask(day, msg, ASK, KIT.scheduler())
                .toCompletableFuture()
                .join();
    }

    @Test
    void fiftyCallersRaceForAWindowOfThreeAndExactlyThreeGetIt() throws Exception {
        var day = KIT.spawn(BoardDay.create("service:2026-12-08-race"));
        var start = new CountDownLatch(1);
        var replies = new ArrayList<CompletableFuture<BoardDay.Reply>>();
        var threads = new ArrayList<Thread>();
        for (int i = 0; i < 50; i++) {
            var lead = "acme:+1919555" + String.format("%04d", i);
            var f = new CompletableFuture<BoardDay.Reply>();
            replies.add(f);
            var t = new Thread(() -> {
                try {
                    start.await();
                    CompletionStage<BoardDay.Reply> r = AskPattern.ask(
                            day,
                            ref -> new BoardDay.Book("08:00-12:00", 3, lead, "ivr", T0, ref),
                            ASK,
                            KIT.scheduler());
                    r.whenComplete((v, e) -> {
                        if (e != null) f.completeExceptionally(e);
                        else f.complete(v);
                    });
                } catch (InterruptedException e) {
                    f.completeExceptionally(e);
                }
            });
            threads.add(t);
            t.start();
        }
        start.countDown();
        var all = replies.stream().map(CompletableFuture::join).toList();
        assertEquals(3, all.stream().filter(r -> r instanceof BoardDay.Booked).count());
        assertEquals(47, all.stream().filter(r -> r instanceof BoardDay.Full).count());
        BoardDay.State state = ask(day, BoardDay.Get::new);
        assertEquals(3, state.booked("08:00-12:00"));

        // The journal holds it: the same day after a restart is still full.
        KIT.stop(day);
        var again = KIT.spawn(BoardDay.create("service:2026-12-08-race"));
        assertInstanceOf(BoardDay.Full.class, book(again, "08:00-12:00", 3, "acme:+19195559999"));
    }

    @Test
    void aRetriedBookingIsOneBookingAndAnotherWindowIsAMove() {
        var day = KIT.spawn(BoardDay.create("service:2026-12-09"));
        var first = assertInstanceOf(BoardDay.Booked.class, book(day, "08:00-12:00", 2, "acme:+19195550100"));
        assertEquals(true, first.changed());
        var retry = assertInstanceOf(BoardDay.Booked.class, book(day, "08:00-12:00", 2, "acme:+19195550100"));
        assertEquals(false, retry.changed());
        assertEquals(1, retry.booked());

        book(day, "12:00-16:00", 2, "acme:+19195550100");
        BoardDay.State state = ask(day, BoardDay.Get::new);
        assertEquals(0, state.booked("08:00-12:00"), "moved out of the morning");
        assertEquals(1, state.booked("12:00-16:00"));

        assertInstanceOf(
                BoardDay.Cancelled.class,
                BoardDayTest.<BoardDay.Reply>ask(day, r -> new BoardDay.Cancel("acme:+19195550100", "csr", T0, r)));
        assertInstanceOf(
                BoardDay.NotBooked.class,
                BoardDayTest.<BoardDay.Reply>ask(day, r -> new BoardDay.Cancel("acme:+19195550100", "csr", T0, r)));
        state = ask(day, BoardDay.Get::new);
        assertEquals(0, state.booked("12:00-16:00"));
    }

    @Test
    void aCapacitySetForTheDayWinsAndLoweringItKeepsWhatIsBooked() {
        var day = KIT.spawn(BoardDay.create("service:2026-12-10"));
        book(day, "08:00-12:00", 3, "a");
        book(day, "08:00-12:00", 3, "b");
        var set = assertInstanceOf(
                BoardDay.CapacitySet.class,
                BoardDayTest.<BoardDay.Reply>ask(day, r -> new BoardDay.SetCapacity("08:00-12:00", 1, "owner", T0, r)));
        assertEquals(2, set.booked(), "nobody loses a promised visit");
        var full = assertInstanceOf(BoardDay.Full.class, book(day, "08:00-12:00", 3, "c"));
        assertEquals(1, full.capacity());
        assertThrows(IllegalArgumentException.class, () -> new BoardDay.SetCapacity("x", -1, "owner", T0, null));
    }
}
