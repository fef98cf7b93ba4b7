package switchboard.callback;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** Port: the open recoveries of a tenant, oldest first, as the read side has them (the governor polls it). */
public interface OpenRecoveries {
    CompletionStage<List<PendingRecovery>> of(String tenant);
}
