package io.convtrail.query.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;

import java.io.IOException;
import java.time.Instant;

/**
 * Jackson's {@link Instant} deserializer with a fast path: a string in the exact form {@code Instant.toString()}
 * writes is read by {@link IsoInstants#parse}; everything else (other forms, numbers, a property with its own
 * {@code @JsonFormat}) goes to Jackson's own, so no accepted input and no error changes. Every stored event
 * carries one or two instants, and every projection and every aggregate load reads them.
 */
final class IsoInstantDeserializer extends StdScalarDeserializer<Instant> implements ContextualDeserializer {

    private final InstantDeserializer<Instant> standard;

    IsoInstantDeserializer() {
        this(InstantDeserializer.INSTANT);
    }

    private IsoInstantDeserializer(InstantDeserializer<Instant> standard) {
        super(Instant.class);
        this.standard = standard;
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.hasToken(JsonToken.VALUE_STRING)) {
            Instant fast = IsoInstants.parse(parser.getText());
            if (fast != null) {
                return fast;
            }
        }
        return standard.deserialize(parser, context);
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property)
            throws JsonMappingException {
        JsonDeserializer<?> contextual = standard.createContextual(context, property);
        return contextual == standard ? this : contextual;
    }
}
