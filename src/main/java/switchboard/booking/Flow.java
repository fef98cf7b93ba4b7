package switchboard.booking;

/** What the contractor's booking rules say to do with a qualified caller. */
public enum Flow {
    /** Connect now to the on-call number (after hours) or a CSR; outranks everything in the callback governor. */
    EMERGENCY,
    /** Offer the next free arrival windows of the service board. */
    BOOK_SERVICE,
    /** A quote: the estimate board, or sales. */
    ESTIMATE,
    /** A new system or installation: the sales queue or an estimate window. */
    INSTALL,
    /** A member: the member line, ahead of others. */
    MEMBERSHIP,
    /** Outside the service area, or a service not offered: say so kindly and close the lead with the reason. */
    NOT_SERVICEABLE,
    /** A person decides. */
    HUMAN_REVIEW
}
