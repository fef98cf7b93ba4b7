package archfixture.overflow;

import archfixture.pbx.Link;

public final class MoverUsingPbx {
    Link link;
}
