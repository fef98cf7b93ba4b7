package switchboard.callback;

import java.util.concurrent.CompletionStage;

/** What people do to callbacks through the API: cancel a lead's recovery, ask for a callback now, the DNC list. */
public interface CallbackControl {
    enum Result {
        DONE,
        NO_SUCH_LEAD,
        NOTHING_OPEN,
        NOT_CALLABLE
    }

    CompletionStage<Result> cancel(String leadId, String why);

    CompletionStage<Result> request(String leadId, String by);

    /** The lead's time zone for the calling window ({@code zoneId} null: from the number again); validated by the caller. */
    CompletionStage<Result> timeZone(String leadId, String zoneId);

    /** Puts a number on the do-not-call list (stored before it counts); its E.164 form. IllegalArgumentException: not a number. */
    CompletionStage<String> dncAdd(String raw);

    /** Takes a number off the list; whether it was on it. IllegalArgumentException: not a number. */
    CompletionStage<Boolean> dncRemove(String raw);
}
