package archfixture.http;

import archfixture.call.CallReachingOut;

/** Closes a cycle http → call → http. */
public final class Routes {
    CallReachingOut call;
}
