package io.courier.gateway.http;

import io.netty.handler.codec.http.HttpMethod;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The route table: method plus path template ({@code /api/users/{id}}), matched segment by segment.
 * Literal segments win over parameters, so {@code /api/groups/my} and {@code /api/groups/{id}} can
 * live side by side. Telling "no such path" (404) from "not with this method" (405) is its job too.
 */
public final class Router {

    /** Who may call a route. */
    public enum Access { PUBLIC, AUTHENTICATED }

    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiRequest request);
    }

    /**
     * @param inline the handler never blocks (no database, no hashing): it runs on the event loop
     *               and is not counted against the in-flight limit, so liveness and metrics answer
     *               even when every worker is busy
     */
    public record Route(HttpMethod method, String template, Access access, boolean inline, Handler handler, String[] segments) {
    }

    /** The outcome of a lookup: a route with its parameters, or the methods the path does allow. */
    public record Match(Route route, Map<String, String> params, Set<String> allowed) {
        public boolean found() {
            return route != null;
        }
    }

    private final List<Route> routes = new ArrayList<>();

    public Router get(String template, Access access, Handler handler) {
        return add(HttpMethod.GET, template, access, handler);
    }

    public Router post(String template, Access access, Handler handler) {
        return add(HttpMethod.POST, template, access, handler);
    }

    public Router put(String template, Access access, Handler handler) {
        return add(HttpMethod.PUT, template, access, handler);
    }

    public Router delete(String template, Access access, Handler handler) {
        return add(HttpMethod.DELETE, template, access, handler);
    }

    /** A public GET whose handler never blocks; see {@link Route#inline()}. */
    public Router getInline(String template, Handler handler) {
        return add(HttpMethod.GET, template, Access.PUBLIC, true, handler);
    }

    public Router add(HttpMethod method, String template, Access access, Handler handler) {
        return add(method, template, access, false, handler);
    }

    private Router add(HttpMethod method, String template, Access access, boolean inline, Handler handler) {
        String[] segments = split(template);
        for (Route r : routes) {
            if (r.method().equals(method) && r.template().equals(template)) {
                throw new IllegalArgumentException("Route registered twice: " + method + " " + template);
            }
        }
        routes.add(new Route(method, template, access, inline, handler, segments));
        return this;
    }

    /** Every route, in registration order (the OpenAPI test compares against this). */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    public Match match(HttpMethod method, String path) {
        String[] parts = split(path);
        Route best = null;
        Map<String, String> bestParams = null;
        int bestLiterals = -1;
        Set<String> allowed = new LinkedHashSet<>();
        for (Route r : routes) {
            Map<String, String> params = new HashMap<>();
            int literals = matchSegments(r.segments(), parts, params);
            if (literals < 0) {
                continue;
            }
            if (!r.method().equals(method)) {
                allowed.add(r.method().name());
                continue;
            }
            if (literals > bestLiterals) {
                best = r;
                bestParams = params;
                bestLiterals = literals;
            }
        }
        return new Match(best, best == null ? Map.of() : bestParams, allowed);
    }

    /** Number of literal segments matched, or -1 when the template does not fit the path. */
    private static int matchSegments(String[] template, String[] path, Map<String, String> params) {
        if (template.length != path.length) {
            return -1;
        }
        int literals = 0;
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                if (path[i].isEmpty()) {
                    return -1;
                }
                params.put(t.substring(1, t.length() - 1), path[i]);
            } else if (t.equals(path[i])) {
                literals++;
            } else {
                return -1;
            }
        }
        return literals;
    }

    private static String[] split(String path) {
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return trimmed.substring(1).split("/", -1);
    }
}
