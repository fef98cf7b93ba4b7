package switchboard.pbx;

import org.asteriskjava.manager.event.UserEvent;

/**
 * {@code UserEvent(SwitchboardAfterHours)} from our dialplan: the call took the after-hours route. Asterisk-Java
 * maps a UserEvent to the registered class named after it ({@code <Name>Event}), so the name matters.
 */
public class SwitchboardAfterHoursEvent extends UserEvent {
    private static final long serialVersionUID = 1L;
    private String linkedid;

    public SwitchboardAfterHoursEvent(Object source) {
        super(source);
    }

    public String getLinkedid() {
        return linkedid;
    }

    public void setLinkedid(String linkedid) {
        this.linkedid = linkedid;
    }
}
