package io.convtrail.bench;

import java.util.List;

/**
 * Latencies of what subscribers received in a window. {@code commit}: receipt minus the commit
 * timestamp PostgreSQL recorded for the event (the definition). {@code created}: receipt
 * minus the envelope's createdAt, which the service stamps before it commits (an upper bound, and
 * the fallback when commit times are not tracked). {@code expected} is what every subscriber
 * should have got: the events of its conversation appended in the window. {@code projectionLag}:
 * per event, from its commit to the commit of its audit_event row (the part before the push).
 */
record StreamLatency(Percentiles commit, Percentiles created, Percentiles projectionLag, long received, long expected,
                     long unmatched) {

    static StreamLatency of(List<Receipts> subscribers, CommitTimes times) {
        LongList commit = new LongList();
        LongList created = new LongList();
        long received = 0;
        long expected = 0;
        long unmatched = 0;
        for (Receipts r : subscribers) {
            expected += times.eventsOf(r.conversationId);
            for (int i = 0; i < r.size(); i++) {
                long key = r.keys.get(i);
                long committed = key < 0 ? 0 : r.keyedBySequence
                        ? times.bySequence(r.conversationId, key) : times.byAuditId(key);
                long at = r.receivedAt.get(i);
                if (r.createdAt.get(i) > 0) {
                    created.add(at - r.createdAt.get(i));
                }
                if (committed > 0) {
                    commit.add(at - committed);
                } else {
                    unmatched++;
                }
                received++;
            }
        }
        return new StreamLatency(Percentiles.of(commit), Percentiles.of(created), times.projectionLag(), received,
                expected, unmatched);
    }

    /** The commit-based figure when PostgreSQL tracked commit times, else the createdAt-based one. */
    Percentiles best() {
        return commit.count() > 0 ? commit : created;
    }

    String definition() {
        return commit.count() > 0 ? "commit→receipt" : "createdAt→receipt";
    }
}
