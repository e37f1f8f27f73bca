package io.convtrail.command.engine.step;

import io.convtrail.api.Stage;
import io.convtrail.command.engine.StageFields;
import io.convtrail.command.engine.EngineStep;
import io.convtrail.command.engine.SchemaStatus;
import io.convtrail.command.engine.SlotExtractor;
import io.convtrail.command.engine.SlotExtractor.Extraction;
import io.convtrail.command.engine.StepOutcome;
import io.convtrail.command.engine.TurnSession;
import io.convtrail.command.flow.FlowDefinition.Schema;
import io.convtrail.command.flow.FlowDefinition.SlotDef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fills the intent's slots from the input while the intent is in its collecting state. Only slots
 * still empty are looked for, so a number in a later answer (an e-mail with digits) cannot
 * overwrite an amount already given.
 */
public class SchemaExtractionStep implements EngineStep {

    @Override
    public StepOutcome run(TurnSession session) {
        Optional<Schema> schema = session.flow().intent(session.intent()).map(i -> i.schema())
                .filter(s -> s.state().equals(session.state()));
        if (schema.isEmpty()) {
            session.schema(SchemaStatus.NONE);
            return StepOutcome.Continue;
        }
        session.record().stage(Stage.SCHEMA_EXTRACTION_START, StageFields.of("schemaId", session.intent(),
                "slots", schema.get().slots().stream().map(SlotDef::name).toList()));
        List<SchemaStatus.Problem> invalid = new ArrayList<>();
        for (SlotDef slot : schema.get().slots()) {
            if (session.slots().containsKey(slot.name())) {
                continue;
            }
            Optional<Extraction> found = SlotExtractor.extract(slot, session.message());
            if (found.isEmpty()) {
                continue;
            }
            Extraction extraction = found.get();
            if (extraction.valid()) {
                session.slots().put(slot.name(), extraction.value());
                session.record().stage(Stage.SCHEMA_SLOT_EXTRACTED, StageFields.of("slot", slot.name(), "type", slot.type().name(),
                        "value", extraction.value()));
            } else {
                invalid.add(new SchemaStatus.Problem(slot.name(), extraction.raw(), extraction.problem()));
                session.record().stage(Stage.SCHEMA_SLOT_INVALID, StageFields.of("slot", slot.name(), "value", extraction.raw(),
                        "message", extraction.problem()));
            }
        }
        List<SlotDef> missing = schema.get().slots().stream()
                .filter(s -> s.required() && !session.slots().containsKey(s.name())).toList();
        SchemaStatus status = new SchemaStatus(true, missing.isEmpty(), missing.stream().map(SlotDef::name).toList(),
                invalid, missing.isEmpty() ? null : missing.get(0).question());
        session.schema(status);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("schemaId", session.intent());
        fields.put("schemaComplete", status.complete());
        fields.put("missingRequiredFields", status.missing());
        fields.put("invalidFields", invalid.stream().map(SchemaStatus.Problem::slot).toList());
        session.record().stage(Stage.SCHEMA_STATUS, fields);
        if (!invalid.isEmpty()) {
            session.record().progress(this, "SLOT_INVALID", null, Map.of("slot", invalid.get(0).slot(),
                    "message", invalid.get(0).message()));
        }
        session.record().progress(this, "SCHEMA_STATUS", null, Map.of("collected",
                schema.get().slots().size() - missing.size(), "total", schema.get().slots().size()));
        return StepOutcome.Continue;
    }
}
