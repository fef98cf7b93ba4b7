package switchboard.pbx;

import org.asteriskjava.manager.event.UserEvent;

/**
 * {@code UserEvent(SwitchboardVoicemail,Mailbox: 600@default)} from our dialplan, just before VoiceMail():
 * Asterisk has no event of its own for entering voicemail.
 */
public class SwitchboardVoicemailEvent extends UserEvent {
    private static final long serialVersionUID = 1L;
    private String linkedid;
    private String mailbox;

    public SwitchboardVoicemailEvent(Object source) {
        super(source);
    }

    public String getLinkedid() {
        return linkedid;
    }

    public void setLinkedid(String linkedid) {
        this.linkedid = linkedid;
    }

    public String getMailbox() {
        return mailbox;
    }

    public void setMailbox(String mailbox) {
        this.mailbox = mailbox;
    }
}
