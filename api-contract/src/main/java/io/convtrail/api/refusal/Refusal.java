package io.convtrail.api.refusal;

/**
 * Why a request was refused: the one error vocabulary of the service. Controllers, the turn
 * service and the aggregate name a reason; only the web edge (one advice, one problem factory)
 * decides the HTTP status, so no layer below the controllers knows about HTTP. The {@link #slug()}
 * is the problem type ({@code urn:convtrail:problem:<slug>}) and the {@code reason} tag of the
 * {@code convtrail.requests.refused} counter.
 */
public enum Refusal {

    /** A field, parameter or header fails validation. */
    INVALID_REQUEST("invalid-request", "Invalid request"),
    /** The body is not one strict JSON value: syntax, trailing content, duplicate keys, wrong types. */
    MALFORMED_JSON("malformed-json", "Malformed JSON"),
    /** Text that PostgreSQL or the hash chain cannot hold faithfully (NUL, unpaired surrogates). */
    UNSUPPORTED_TEXT("unsupported-text", "Unsupported text"),
    /** A STOMP frame that does not parse, or one a client may not send. */
    MALFORMED_FRAME("malformed-frame", "Malformed STOMP frame"),
    /** The body, a field of it, or its nesting is over a configured limit. */
    TOO_LARGE("too-large", "Request too large"),
    /** The conversation holds as many records as a conversation may. */
    CONVERSATION_FULL("conversation-full", "Conversation full"),
    UNKNOWN_CONVERSATION("unknown-conversation", "Unknown conversation"),
    /** No token, or one that is invalid, expired or malformed. */
    UNAUTHENTICATED("unauthenticated", "Authentication required"),
    /** The caller's role may not do this. */
    FORBIDDEN("forbidden", "Forbidden"),
    /** The conversation was erased: it takes no turn, no feedback and no second erasure. */
    CONVERSATION_ERASED("conversation-erased", "Conversation erased"),
    /** No endpoint at this path. */
    NOT_FOUND("not-found", "Not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", "Not acceptable"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type"),
    /** Another turn of the conversation stayed open for the whole wait. */
    TURN_IN_PROGRESS("turn-in-progress", "Turn in progress"),
    /** The turn was closed (abandoned) before it finished. */
    TURN_NOT_OPEN("turn-not-open", "Turn no longer open"),
    /** The conversation ran more turns in the last minute than it may. */
    TURN_RATE_EXCEEDED("turn-rate-exceeded", "Too many turns"),
    /** The client sent more requests than its rate allows. */
    RATE_LIMITED("rate-limited", "Too many requests"),
    /** The client holds as many open streams (SSE and STOMP) as it may. */
    TOO_MANY_STREAMS("too-many-streams", "Too many open streams"),
    /** The service is stopping: it takes no new turn, or it closed a running one as abandoned. */
    SERVICE_STOPPING("service-stopping", "Service stopping"),
    /** PostgreSQL cannot be reached; nothing more of the request was recorded. */
    DATABASE_UNAVAILABLE("database-unavailable", "Database unavailable"),
    /** A read model has not yet applied every event of the conversation within the read's bound. */
    READ_MODEL_BEHIND("read-model-behind", "Read model behind"),
    /** The read side stayed too far behind the event store for the whole wait: the turn was not started. */
    READ_SIDE_BEHIND("read-side-behind", "Read side behind"),
    /** A read model holds an event of the conversation in quarantine: it cannot answer completely. */
    READ_MODEL_INCOMPLETE("read-model-incomplete", "Read model incomplete"),
    /** Anything else: a request error Spring reported with a status of its own. */
    OTHER("other", "Request refused");

    private final String slug;
    private final String title;

    Refusal(String slug, String title) {
        this.slug = slug;
        this.title = title;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }
}
