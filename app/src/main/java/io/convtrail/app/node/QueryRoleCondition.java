package io.convtrail.app.node;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches on a node with the query role, the one that runs projections. */
final class QueryRoleCondition implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return DormantProjections.roles(context.getEnvironment()).contains(NodeRole.QUERY);
    }
}
