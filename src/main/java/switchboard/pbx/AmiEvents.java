package switchboard.pbx;

import java.util.List;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.event.AgentCalledEvent;
import org.asteriskjava.manager.event.AgentCompleteEvent;
import org.asteriskjava.manager.event.AgentConnectEvent;
import org.asteriskjava.manager.event.AgentRingNoAnswerEvent;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.CoreShowChannelsCompleteEvent;
import org.asteriskjava.manager.event.DialBeginEvent;
import org.asteriskjava.manager.event.DialEndEvent;
import org.asteriskjava.manager.event.FullyBootedEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.HangupRequestEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.NewChannelEvent;
import org.asteriskjava.manager.event.NewExtenEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.event.QueueCallerAbandonEvent;
import org.asteriskjava.manager.event.QueueCallerJoinEvent;
import org.asteriskjava.manager.event.QueueCallerLeaveEvent;
import org.asteriskjava.manager.event.QueueEntryEvent;
import org.asteriskjava.manager.event.QueueMemberEvent;
import org.asteriskjava.manager.event.QueueParamsEvent;
import org.asteriskjava.manager.event.QueueStatusCompleteEvent;
import org.asteriskjava.manager.event.SoftHangupRequestEvent;
import org.asteriskjava.manager.event.VarSetEvent;

/**
 * Every event class the adapter consumes, registered explicitly before login: Asterisk-Java finds event
 * classes by scanning its own jar, which silently finds none in some packaged layouts (reference notes §7.3).
 */
final class AmiEvents {
    private AmiEvents() {}

    static final List<Class<? extends ManagerEvent>> CONSUMED = List.of(
            NewChannelEvent.class,
            NewExtenEvent.class,
            VarSetEvent.class,
            HangupRequestEvent.class,
            SoftHangupRequestEvent.class,
            HangupEvent.class,
            DialBeginEvent.class,
            DialEndEvent.class,
            QueueCallerJoinEvent.class,
            QueueCallerLeaveEvent.class,
            QueueCallerAbandonEvent.class,
            AgentCalledEvent.class,
            AgentRingNoAnswerEvent.class,
            AgentConnectEvent.class,
            AgentCompleteEvent.class,
            OriginateResponseEvent.class,
            FullyBootedEvent.class,
            CoreShowChannelEvent.class,
            CoreShowChannelsCompleteEvent.class,
            QueueEntryEvent.class,
            QueueMemberEvent.class,
            QueueParamsEvent.class,
            QueueStatusCompleteEvent.class,
            org.asteriskjava.manager.event.QueueMemberStatusEvent.class,
            org.asteriskjava.manager.event.QueueMemberPausedEvent.class,
            org.asteriskjava.manager.event.QueueMemberPauseEvent.class,
            SwitchboardAfterHoursEvent.class,
            SwitchboardVoicemailEvent.class,
            SwitchboardCallbackEvent.class,
            SwitchboardCallbackOfferEvent.class);

    static void registerAll(ManagerConnection connection) {
        for (var c : CONSUMED) connection.registerUserEventClass(c);
    }
}
