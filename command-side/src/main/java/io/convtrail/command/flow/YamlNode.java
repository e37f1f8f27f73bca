package io.convtrail.command.flow;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A position in a parsed flow file: its node, the file and the path to it (e.g.
 * {@code intents[1].match[0].regex}). Every read that fails names that position.
 */
record YamlNode(String file, String path, JsonNode node) {

    FlowDefinitionException fail(String problem) {
        return new FlowDefinitionException(file, path, problem);
    }

    YamlNode field(String name) {
        return new YamlNode(file, path.isEmpty() ? name : path + "." + name, node.path(name));
    }

    boolean has(String name) {
        JsonNode child = node.get(name);
        return child != null && !child.isNull();
    }

    /** Rejects keys the format does not know, so a typo is reported instead of silently ignored. */
    YamlNode allowOnly(Set<String> keys) {
        if (!node.isObject()) {
            throw fail("must be a mapping (key: value)");
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!keys.contains(name)) {
                throw field(name).fail("unknown key '" + name + "'; expected one of " + keys);
            }
        }
        return this;
    }

    String text(String name) {
        YamlNode child = field(name);
        if (!has(name)) {
            throw child.fail("is required");
        }
        if (!child.node.isValueNode() || child.node.asText().isBlank()) {
            throw child.fail("must be a non-empty text");
        }
        return child.node.asText();
    }

    String optionalText(String name) {
        return has(name) ? text(name) : null;
    }

    int optionalInt(String name, int otherwise) {
        if (!has(name)) {
            return otherwise;
        }
        JsonNode child = node.get(name);
        if (!child.canConvertToInt() || !child.isIntegralNumber()) {
            throw field(name).fail("must be a whole number");
        }
        return child.intValue();
    }

    Double optionalNumber(String name) {
        if (!has(name)) {
            return null;
        }
        JsonNode child = node.get(name);
        if (!child.isNumber()) {
            throw field(name).fail("must be a number");
        }
        return child.doubleValue();
    }

    Boolean optionalBoolean(String name) {
        if (!has(name)) {
            return null;
        }
        JsonNode child = node.get(name);
        if (!child.isBoolean()) {
            throw field(name).fail("must be true or false");
        }
        return child.booleanValue();
    }

    /** The elements of a list field; an absent field is an empty list. */
    List<YamlNode> list(String name) {
        List<YamlNode> items = new ArrayList<>();
        if (!has(name)) {
            return items;
        }
        YamlNode child = field(name);
        if (!child.node.isArray()) {
            throw child.fail("must be a list");
        }
        for (int i = 0; i < child.node.size(); i++) {
            items.add(new YamlNode(file, child.path + "[" + i + "]", child.node.get(i)));
        }
        return items;
    }

    List<String> textList(String name) {
        List<String> values = new ArrayList<>();
        for (YamlNode item : list(name)) {
            if (!item.node.isValueNode() || item.node.asText().isBlank()) {
                throw item.fail("must be a non-empty text");
            }
            values.add(item.node.asText());
        }
        return values;
    }

    /** The entries of a mapping field, in file order; an absent field is empty. */
    Map<String, YamlNode> entries(String name) {
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        if (!has(name)) {
            return entries;
        }
        YamlNode child = field(name);
        if (!child.node.isObject()) {
            throw child.fail("must be a mapping (key: value)");
        }
        child.node.fields().forEachRemaining(e -> entries.put(e.getKey(),
                new YamlNode(file, child.path + "." + e.getKey(), e.getValue())));
        return entries;
    }
}
