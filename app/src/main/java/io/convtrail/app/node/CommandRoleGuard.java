package io.convtrail.app.node;

import io.convtrail.api.refusal.Refusal;
import io.convtrail.api.refusal.RefusedException;
import io.convtrail.command.web.FeedbackController;
import io.convtrail.command.web.MessageController;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * On a node without the command role, the turn endpoints answer 404 problem+json naming the role
 * that serves them, so a misrouted client (or load balancer rule) learns where to go instead of
 * starting a turn here.
 */
final class CommandRoleGuard implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod method && (method.getBeanType() == MessageController.class
                || method.getBeanType() == FeedbackController.class)) {
            throw new RefusedException(Refusal.NOT_FOUND, request.getMethod() + " " + request.getRequestURI()
                    + " is served by nodes with the command role; this node has the query role only"
                    + " (convtrail.node.roles)").with("servedByRole", "command");
        }
        return true;
    }
}
