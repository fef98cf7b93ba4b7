package switchboard.pbx;

import org.asteriskjava.manager.event.UserEvent;

/**
 * {@code UserEvent(SwitchboardCallback,Attempt: <attempt id>,Stage: AMD|CUSTOMER,Status: …,Cause: …)} from the
 * callback contexts of our dialplan: what answering-machine detection heard (Status = AMDSTATUS: HUMAN, MACHINE,
 * NOTSURE, HANGUP), or, in agent-first callbacks, what became of the customer's leg (Status = ANSWER or the
 * DIALSTATUS: BUSY, NOANSWER, CONGESTION, CHANUNAVAIL, CANCEL). Asterisk has no AMI event of its own for either.
 */
public class SwitchboardCallbackEvent extends UserEvent {
    private static final long serialVersionUID = 1L;
    private String attempt;
    private String stage;
    private String status;
    private String cause;

    public SwitchboardCallbackEvent(Object source) {
        super(source);
    }

    public String getAttempt() {
        return attempt;
    }

    public void setAttempt(String attempt) {
        this.attempt = attempt;
    }

    public String getStage() {
        return stage;
    }

    public void setStage(String stage) {
        this.stage = stage;
    }

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    public String getCause() {
        return cause;
    }

    public void setCause(String cause) {
        this.cause = cause;
    }
}
