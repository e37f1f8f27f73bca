package io.convtrail.api.query;

/**
 * Subscription: every stream event the audit projection of this node commits, as it commits. One
 * subscriber per node, the stream hub, routes them to each conversation's subscribers; see
 * docs/streams.md for why one subscription per node rather than one per conversation.
 */
public record CommittedStreamEventsQuery() {
}
