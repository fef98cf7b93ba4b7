package switchboard.pbx;

import org.asteriskjava.manager.event.UserEvent;

/**
 * {@code UserEvent(SwitchboardCallbackOffer,Accepted: 1|0,Queue: …)} from the overflow offer step
 * ({@code sb-overflow-offer}): the waiting caller pressed 1 (keep my place, call me back) or did not.
 */
public class SwitchboardCallbackOfferEvent extends UserEvent {
    private static final long serialVersionUID = 1L;
    private String linkedid;
    private String accepted;
    private String queue;

    public SwitchboardCallbackOfferEvent(Object source) {
        super(source);
    }

    public String getLinkedid() {
        return linkedid;
    }

    public void setLinkedid(String linkedid) {
        this.linkedid = linkedid;
    }

    public String getAccepted() {
        return accepted;
    }

    public void setAccepted(String accepted) {
        this.accepted = accepted;
    }

    public String getQueue() {
        return queue;
    }

    public void setQueue(String queue) {
        this.queue = queue;
    }

    /** Whether the caller pressed 1 (keep my place, call me back). */
    public boolean pressedOne() {
        return accepted != null && accepted.trim().equals("1");
    }

    /** The call's Linkedid from the channel snapshot; a dialplan that repeats the header makes it unreadable: the caller's own id then. */
    public String callLinkedId() {
        return linkedid != null ? linkedid : getUniqueId();
    }
}
