package io.convtrail.query.projection;

import org.springframework.jdbc.support.SqlArrayValue;

import java.util.List;
import java.util.function.Function;

/**
 * One column of a batch of rows as a PostgreSQL array parameter, for the projections' multi-row
 * statements ({@code INSERT … SELECT * FROM unnest(…)}): one statement and one parse for a whole
 * batch, whatever its size. Times are passed as ISO-8601 text and cast, so no time zone is guessed.
 */
public final class SqlArrays {

    private SqlArrays() {
    }

    public static <R> SqlArrayValue of(String type, List<R> rows, Function<R, ?> column) {
        Object[] values = new Object[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i));
        }
        return new SqlArrayValue(type, values);
    }
}
