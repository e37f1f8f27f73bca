package io.convtrail.app.node;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The roles of this node ({@code convtrail.node.roles}): {@code command}, {@code query}, or both (the
 * default). Nodes of either role share one PostgreSQL, so a deployment scales turns and reads apart.
 */
@ConfigurationProperties("convtrail.node")
public record NodeRoles(@DefaultValue({"command", "query"}) Set<NodeRole> roles) {

    public NodeRoles {
        if (roles == null || roles.isEmpty()) {
            throw new IllegalArgumentException("convtrail.node.roles needs at least one of command, query");
        }
        roles = Set.copyOf(EnumSet.copyOf(roles));
    }

    public boolean has(NodeRole role) {
        return roles.contains(role);
    }

    /** As configured and shown: {@code command, query}. */
    public String describe() {
        return EnumSet.copyOf(roles).stream().map(r -> r.name().toLowerCase()).collect(Collectors.joining(", "));
    }
}
