package io.convtrail.app.database;

import org.axonframework.common.DateTimeUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ParsedTimestampStorageEngineTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-01T06:31:36.441Z", "2026-12-01T06:31:36Z", "2024-02-29T23:59:59.999999999Z",
            "1970-01-01T00:00:00.000Z", "2026-12-01T07:31:36.441+01:00", "2026-12-01t06:31:36.441z"})
    void aStoredTimestampReadsAsAxonReadsIt(String stored) {
        assertThat(ParsedTimestampStorageEngine.Entry.parse(stored)).isEqualTo(DateTimeUtils.parseInstant(stored));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-01T06:31:36.441Z", "2026-12-01T06:31:36.441123Z"})
    void anInstantReadsAsAxonWritesAndReadsIt(String text) {
        Instant instant = Instant.parse(text);
        assertThat(ParsedTimestampStorageEngine.Entry.parse(instant))
                .isEqualTo(DateTimeUtils.parseInstant(DateTimeUtils.formatInstant(instant)));
    }
}
