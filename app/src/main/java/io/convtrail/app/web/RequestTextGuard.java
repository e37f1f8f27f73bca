package io.convtrail.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convtrail.api.refusal.Refusal;
import io.convtrail.api.refusal.RefusedException;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.Map;

/**
 * Refuses, before any handler sees it, text that the store or the hash chain cannot hold faithfully,
 * anywhere in a JSON body (values and keys, at any depth): NUL, which PostgreSQL rejects in text
 * (a projection would fail on the event for ever), and unpaired UTF-16 surrogates, which UTF-8
 * encoding silently turns into {@code ?} (the chain would cover a text other than the one sent).
 * JSON can carry both only as escapes ({@code \u0000}, {@code \ud800}), so they survive parsing.
 */
@ControllerAdvice
class RequestTextGuard extends RequestBodyAdviceAdapter {

    private final ObjectMapper json;

    RequestTextGuard(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
                            Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object afterBodyRead(Object body, HttpInputMessage input, MethodParameter parameter, Type targetType,
                                Class<? extends HttpMessageConverter<?>> converterType) {
        if (body instanceof CharSequence text) {
            check(text.toString(), "body");
        } else if (body != null) {
            check(body instanceof JsonNode node ? node : json.valueToTree(body), null);
        }
        return body;
    }

    private static void check(JsonNode node, String path) {
        if (node.isTextual()) {
            check(node.textValue(), path == null ? "body" : path);
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String child = path == null ? field.getKey() : path + "." + field.getKey();
                check(field.getKey(), (path == null ? "body" : path) + " (a key)");
                check(field.getValue(), child);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), (path == null ? "body" : path) + "[" + i + "]");
            }
        }
    }

    private static void check(String text, String field) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String problem = null;
            if (c == '\u0000') {
                problem = "contains a NUL character (\\u0000)";
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                problem = "contains an unpaired UTF-16 surrogate (\\u" + Integer.toHexString(c) + ")";
            } else if (Character.isLowSurrogate(c)) {
                problem = "contains an unpaired UTF-16 surrogate (\\u" + Integer.toHexString(c) + ")";
            }
            if (problem != null) {
                throw new RefusedException(Refusal.UNSUPPORTED_TEXT, field,
                        field + " " + problem + " at character " + i + ", which cannot be stored faithfully", null);
            }
        }
    }
}
