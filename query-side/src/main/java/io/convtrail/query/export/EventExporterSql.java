package io.convtrail.query.export;

/** The look-ups of an export session, for what its bounded memory does not hold. */
final class EventExporterSql {

    static final String TURN_STARTS = "SELECT payloadtype, payloadrevision, payload FROM domainevententry "
            + "WHERE aggregateidentifier = ? AND payloadtype = '" + EventExporter.STARTED + "'";

    static final String PREVIOUS_RECORD = "SELECT payloadtype, payloadrevision, payload FROM domainevententry "
            + "WHERE aggregateidentifier = ? AND sequencenumber < ? AND payloadtype IN ('" + EventExporter.STAGE
            + "', '" + EventExporter.VERBOSE + "') ORDER BY sequencenumber DESC LIMIT 1";

    private EventExporterSql() {
    }
}
