package io.convtrail.command.flow;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads every flow file at the configured location and picks the active one. All files are
 * validated, not only the active one, so a broken file is found at startup rather than when
 * someone switches to it.
 */
public final class FlowLoader {

    private final ResourcePatternResolver resources;

    public FlowLoader(ResourcePatternResolver resources) {
        this.resources = resources;
    }

    public FlowLoader() {
        this(new PathMatchingResourcePatternResolver());
    }

    public FlowDefinition loadActive(FlowProperties properties) {
        Map<String, FlowDefinition> flows = loadAll(properties.location());
        FlowDefinition active = flows.get(properties.active());
        if (active == null) {
            throw new FlowDefinitionException("No flow with id '" + properties.active() + "' at "
                    + properties.location() + " (convtrail.flow.active); found: " + flows.keySet());
        }
        return active;
    }

    public Map<String, FlowDefinition> loadAll(String location) {
        Map<String, FlowDefinition> flows = new LinkedHashMap<>();
        for (Resource file : files(location)) {
            FlowDefinition flow = FlowParser.parse(file.getFilename(), read(file));
            FlowDefinition previous = flows.put(flow.id(), flow);
            if (previous != null) {
                throw new FlowDefinitionException(file.getFilename(), "id",
                        "flow id '" + flow.id() + "' is also used by " + previous.source());
            }
        }
        return flows;
    }

    private List<Resource> files(String location) {
        try {
            if (location.endsWith(".yml") || location.endsWith(".yaml")) {
                Resource file = resources.getResource(location);
                if (!file.exists()) {
                    throw new FlowDefinitionException("No flow file at " + location + " (convtrail.flow.location)");
                }
                return List.of(file);
            }
            String directory = location.endsWith("/") ? location : location + "/";
            List<Resource> files = new ArrayList<>();
            files.addAll(List.of(resources.getResources(directory + "*.yml")));
            files.addAll(List.of(resources.getResources(directory + "*.yaml")));
            if (files.isEmpty()) {
                throw new FlowDefinitionException("No flow files (*.yml, *.yaml) at " + location
                        + " (convtrail.flow.location)");
            }
            files.sort(Comparator.comparing(Resource::getFilename));
            return files;
        } catch (IOException e) {
            throw new FlowDefinitionException("Cannot list flow files at " + location + ": " + e.getMessage());
        }
    }

    private static byte[] read(Resource file) {
        try (InputStream in = file.getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new FlowDefinitionException(file.getFilename(), "", "cannot be read: " + e.getMessage());
        }
    }
}
