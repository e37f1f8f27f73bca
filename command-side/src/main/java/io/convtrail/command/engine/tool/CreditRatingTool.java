package io.convtrail.command.engine.tool;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo flow's tool: a stand-in for a credit union's rating service. The rating follows the
 * requested amount so the demo is repeatable; the configured delay stands for the network call.
 */
public class CreditRatingTool implements FlowTool {

    private final DemoToolProperties properties;

    public CreditRatingTool(DemoToolProperties properties) {
        this.properties = properties;
    }

    @Override
    public String code() {
        return "credit_rating";
    }

    @Override
    public Map<String, Object> call(ToolCall call) {
        pause();
        double amount = call.slots().get("amount") instanceof Number n ? n.doubleValue() : 0;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("rating", amount <= 20_000 ? "A" : amount <= 40_000 ? "B" : "C");
        result.put("score", amount <= 20_000 ? 780 : amount <= 40_000 ? 700 : 610);
        result.put("bureau", "Demo Credit Union");
        return result;
    }

    private void pause() {
        try {
            Thread.sleep(properties.delay().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the credit union", e);
        }
    }
}
