package archfixture.lead;

import archfixture.call.CallReachingOut;

public final class LeadHearingCalls {
    CallReachingOut call;
}
