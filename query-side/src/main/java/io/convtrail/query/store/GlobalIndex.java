package io.convtrail.query.store;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a projection's event handler parameter ({@code Long}): the event's global index as stamped on it
 * ({@link PositionedEvents#GLOBAL_INDEX}), null when unstamped — what
 * {@code @MetaDataValue(PositionedEvents.GLOBAL_INDEX)} gives, without deserialising the rest of the
 * stored metadata when the event carries its stamp itself ({@link GlobalIndexResolverFactory}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface GlobalIndex {
}
