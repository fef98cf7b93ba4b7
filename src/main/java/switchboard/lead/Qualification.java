package switchboard.lead;

import java.time.Instant;
import switchboard.common.CborSerializable;

/**
 * What a caller needs, where and how soon: the answers of an interview (IVR), a text conversation, a web form or
 * a CSR. Part of the lead. Every answer may be missing (a caller who hung up mid-way keeps what they gave);
 * {@link #merge} lets a later source fill in or correct what an earlier one gave.
 *
 * @param service the contractor's service id from the menu (e.g. {@code repair}), or null
 * @param zip five digits, or null
 * @param inServiceArea whether the ZIP is served for that service; null until both are known
 * @param urgency null until asked
 * @param customer null until known (from the lead's history or asked)
 * @param channel where these answers came from
 * @param at when they were given
 */
public record Qualification(
        String service,
        String zip,
        Boolean inServiceArea,
        Urgency urgency,
        CustomerStatus customer,
        Channel channel,
        Instant at)
        implements CborSerializable {

    public enum Urgency {
        /** No heat or cooling in extreme weather, a water leak, sparks, a gas smell: connect now. */
        EMERGENCY,
        /** Needs a visit soon. */
        SOON,
        /** Just a quote. */
        QUOTE
    }

    public enum CustomerStatus {
        NEW,
        EXISTING,
        /** Has a maintenance membership: member line, priority. */
        MEMBER
    }

    public enum Channel {
        IVR,
        SMS,
        WEB,
        CSR
    }

    public Qualification {
        if (zip != null && !zip.matches("\\d{5}"))
            throw new IllegalArgumentException("a ZIP is five digits, got '" + zip + "'");
        if (service != null && !service.matches("[a-z0-9][a-z0-9_-]{0,39}"))
            throw new IllegalArgumentException(
                    "a service id is lower-case letters, digits, '-' or '_' (at most 40), got '" + service + "'");
        if (channel == null) throw new IllegalArgumentException("a qualification says where it came from (channel)");
        if (at == null) throw new IllegalArgumentException("a qualification says when it was given (at)");
    }

    public static Qualification empty(Channel channel, Instant at) {
        return new Qualification(null, null, null, null, null, channel, at);
    }

    /** This one with {@code newer}'s answers where it has them; channel and time are the newer's. */
    public Qualification merge(Qualification newer) {
        if (newer == null) return this;
        return new Qualification(
                or(newer.service, service),
                or(newer.zip, zip),
                or(newer.inServiceArea, inServiceArea),
                or(newer.urgency, urgency),
                or(newer.customer, customer),
                newer.channel,
                newer.at);
    }

    public Qualification withService(String s) {
        return new Qualification(s, zip, inServiceArea, urgency, customer, channel, at);
    }

    public Qualification withZip(String z, Boolean inArea) {
        return new Qualification(service, z, inArea, urgency, customer, channel, at);
    }

    public Qualification withUrgency(Urgency u) {
        return new Qualification(service, zip, inServiceArea, u, customer, channel, at);
    }

    public Qualification withCustomer(CustomerStatus c) {
        return new Qualification(service, zip, inServiceArea, urgency, c, channel, at);
    }

    /** True when nothing was answered. */
    public boolean isEmpty() {
        return service == null && zip == null && urgency == null && customer == null;
    }

    private static <T> T or(T a, T b) {
        return a != null ? a : b;
    }
}
