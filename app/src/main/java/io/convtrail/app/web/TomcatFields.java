package io.convtrail.app.web;

import java.lang.reflect.Field;

/**
 * Reflective access to the Tomcat fields the connection's buffer tuning replaces
 * ({@link ServletCharBuffers}, {@link OpenStreamBuffers}): Tomcat has no setting for them. Every field
 * is looked up when the connector is built, so a Tomcat whose fields differ fails at startup with the
 * setting it breaks named, never silently at the first request.
 */
final class TomcatFields {

    private TomcatFields() {
    }

    /** {@code owner.name}, accessible; {@code setting} names what cannot be applied without it. */
    static Field field(Class<?> owner, String name, String setting) {
        try {
            Field field = owner.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException | RuntimeException e) {
            throw new IllegalStateException("this Tomcat has no " + owner.getName() + "." + name
                    + ": " + setting + " cannot be applied", e);
        }
    }

    static Object read(Field field, Object owner) {
        try {
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read Tomcat's " + field, e);
        }
    }

    static void write(Field field, Object owner, Object value) {
        try {
            field.set(owner, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot replace Tomcat's " + field, e);
        }
    }
}
