package switchboard.pbx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Predicate;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.action.CoreShowChannelsAction;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.action.QueueStatusAction;
import org.asteriskjava.manager.action.RedirectAction;
import org.asteriskjava.manager.action.SetVarAction;
import org.asteriskjava.manager.event.AgentConnectEvent;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.event.QueueCallerJoinEvent;
import org.asteriskjava.manager.event.QueueEntryEvent;
import org.asteriskjava.manager.event.VarSetEvent;
import org.asteriskjava.manager.response.ManagerError;
import org.asteriskjava.manager.response.ManagerResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import switchboard.tools.sim.CallTemplate;
import switchboard.tools.sim.CalleeModel;
import switchboard.tools.sim.PbxSimulator;

/**
 * The simulator driven the way the pbx adapter drives Asterisk: a real Asterisk-Java {@link ManagerConnection}
 * (events registered as AmiConnection does, the adapter's event mask) sends Originate, Redirect, Setvar, QueueStatus
 * and CoreShowChannels and gets typed replies and events back — what the recordings of the real Asterisk 22
 * lab show (SimActionsWireTest checks the bytes).
 */
class SimActionsAsteriskJavaTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private PbxSimulator pbx;
    private ManagerConnection connection;
    private final List<ManagerEvent> events = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        pbx = new PbxSimulator("aj", "switchboard", "aj-secret", null);
        pbx.calleeModel(CalleeModel.typical(11)
                .pin(
                        "+19195550401",
                        new CalleeModel.Decision(
                                CalleeModel.Behaviour.ANSWER, Duration.ofMillis(300), Duration.ofMillis(700)))
                .pin(
                        "+19195550402",
                        new CalleeModel.Decision(CalleeModel.Behaviour.BUSY, Duration.ofMillis(100), Duration.ZERO))
                .pin(
                        "+19195550403",
                        new CalleeModel.Decision(CalleeModel.Behaviour.NO_ANSWER, Duration.ZERO, Duration.ZERO))
                .pin(
                        "+19195550404",
                        new CalleeModel.Decision(CalleeModel.Behaviour.FAILURE, Duration.ofMillis(6), Duration.ZERO)));
        connection = new ManagerConnectionFactory("127.0.0.1", pbx.amiPort(), "switchboard", "aj-secret")
                .createManagerConnection();
        AmiEvents.registerAll(connection);
        connection.registerUserEventClass(VarSetEvent.class);
        connection.addEventListener(e -> {
            synchronized (events) {
                events.add(e);
                events.notifyAll();
            }
        });
        connection.login(AmiConnection.EVENT_MASK);
    }

    @AfterEach
    void stop() throws Exception {
        connection.logoff();
        pbx.close();
    }

    @SuppressWarnings("unchecked")
    private <T extends ManagerEvent> T await(Class<T> type, Predicate<T> p) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (events) {
            while (true) {
                for (var e : events) if (type.isInstance(e) && p.test((T) e)) return (T) e;
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) throw new AssertionError("no " + type.getSimpleName() + " within " + WAIT);
                events.wait(left);
            }
        }
    }

    private OriginateAction callback(String number, String id) {
        var o = new OriginateAction();
        o.setChannel("PJSIP/" + number + "@customer");
        o.setContext("sb-callback");
        o.setExten("s");
        o.setPriority(1);
        o.setTimeout(1500L);
        o.setCallerId("\"Switchboard\" <+18005550100>");
        var vars = new LinkedHashMap<String, String>();
        vars.put("SB_CALLBACK_ID", "cb-" + id);
        vars.put("SB_LEAD_ID", "lead-" + id);
        o.setVariables(vars);
        o.setAsync(true);
        o.setChannelId(id);
        o.setActionId("aj-" + id);
        return o;
    }

    @Test
    void originateOutcomesComeBackAsOriginateResponseEvents() throws Exception {
        record Case(String number, String id, String response, int reason) {}
        for (var c : List.of(
                new Case("+19195550401", "1799990000.1", "Success", 4),
                new Case("+19195550402", "1799990000.2", "Failure", 0),
                new Case("+19195550403", "1799990000.3", "Failure", 3),
                new Case("+19195550404", "1799990000.4", "Failure", 0))) {
            ManagerResponse r = connection.sendAction(callback(c.number(), c.id()), 5000);
            assertEquals("Success", r.getResponse(), c.id());
            assertEquals("Originate successfully queued", r.getMessage());
            var resp = await(OriginateResponseEvent.class, e -> ("aj-" + c.id()).equals(e.getActionId()));
            assertEquals(c.response(), resp.getResponse(), c.number());
            assertEquals(c.reason(), resp.getReason(), c.number());
            assertEquals(c.id(), resp.getUniqueId(), "Uniqueid = ChannelId");
            assertEquals("sb-callback", resp.getContext());
            if (!c.number().equals("+19195550404"))
                await(HangupEvent.class, e -> c.id().equals(e.getUniqueId())); // a channel existed and is gone
        }
        var answered = await(
                VarSetEvent.class,
                e -> "1799990000.1".equals(e.getUniqueId()) && "SB_CALLBACK_ID".equals(e.getVariable()));
        assertEquals("cb-1799990000.1", answered.getValue());
        assertEquals(4, pbx.originatesReceived());

        ManagerResponse error = connection.sendAction(new OriginateAction(), 5000);
        assertInstanceOf(ManagerError.class, error);
        assertEquals("Channel not specified", error.getMessage());
    }

    @Test
    void aQueuedCallerCanBeListedSetAndRedirected() throws Exception {
        var call = pbx.place(CallTemplate.loadAll().get("queue-abandon"), "+19845557777", Instant.now());
        String linked = call.linkedId();
        var join = await(QueueCallerJoinEvent.class, e -> linked.equals(e.getUniqueId()));
        String channel = join.getChannel();

        var qs = connection.sendEventGeneratingAction(new QueueStatusAction(), 5000);
        var entry = qs.getEvents().stream()
                .filter(QueueEntryEvent.class::isInstance)
                .map(QueueEntryEvent.class::cast)
                .findFirst()
                .orElseThrow();
        assertEquals(linked, entry.getUniqueId());
        assertEquals("service", entry.getQueue());
        assertEquals(1, entry.getPosition());

        var cs = connection.sendEventGeneratingAction(new CoreShowChannelsAction(), 5000);
        assertTrue(cs.getEvents().stream()
                .anyMatch(e -> e instanceof CoreShowChannelEvent c
                        && linked.equals(c.getUniqueid())
                        && "Queue".equals(c.getApplication())));

        assertEquals(
                "Success",
                connection
                        .sendAction(new SetVarAction(channel, "SB_OVERFLOW", "office"), 5000)
                        .getResponse());
        await(
                VarSetEvent.class,
                e -> linked.equals(e.getUniqueId())
                        && "SB_OVERFLOW".equals(e.getVariable())
                        && "office".equals(e.getValue()));

        var redirect = connection.sendAction(new RedirectAction(channel, "sb-overflow", "+18005550100", 1), 5000);
        assertEquals("Success", redirect.getResponse());
        assertEquals("Redirect successful", redirect.getMessage());
        var connect = await(AgentConnectEvent.class, e -> linked.equals(e.getUniqueId()));
        assertEquals("overflow", connect.getQueue());
        await(HangupEvent.class, e -> linked.equals(e.getUniqueId()));
        assertEquals(1, pbx.redirectsReceived());

        var unknown = connection.sendAction(
                new RedirectAction("PJSIP/carrier-7fffffff", "sb-overflow", "+18005550100", 1), 5000);
        assertInstanceOf(ManagerError.class, unknown);
        assertEquals("Channel does not exist: PJSIP/carrier-7fffffff", unknown.getMessage());
        assertInstanceOf(
                ManagerError.class, connection.sendAction(new SetVarAction("PJSIP/carrier-7fffffff", "X", "1"), 5000));
    }
}
