package io.convtrail.app.security;

import io.convtrail.api.security.AccessTokens;
import io.convtrail.api.security.Role;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads convtrail's roles from a token: the {@code roles} claim (what {@code convtrail.jar token}
 * writes) and Keycloak's {@code realm_access.roles}, so realm roles named user, auditor and admin work
 * unchanged. Other values are ignored; {@code sub} is the caller's name.
 */
final class RoleAuthorities implements Converter<Jwt, Collection<GrantedAuthority>> {

    static JwtAuthenticationConverter converter() {
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(new RoleAuthorities());
        return converter;
    }

    static String authority(Role role) {
        return "ROLE_" + role.name();
    }

    @Override
    public Collection<GrantedAuthority> convert(Jwt jwt) {
        Set<GrantedAuthority> authorities = new LinkedHashSet<>();
        add(authorities, jwt.getClaim(AccessTokens.ROLES_CLAIM));
        if (jwt.getClaim("realm_access") instanceof Map<?, ?> realm) {
            add(authorities, realm.get("roles"));
        }
        return List.copyOf(authorities);
    }

    private static void add(Set<GrantedAuthority> authorities, Object claim) {
        if (claim instanceof Collection<?> values) {
            for (Object value : values) {
                Optional.ofNullable(value).flatMap(v -> Role.fromClaim(v.toString()))
                        .ifPresent(role -> authorities.add(new SimpleGrantedAuthority(authority(role))));
            }
        } else if (claim instanceof String single) {
            Role.fromClaim(single).ifPresent(role -> authorities.add(new SimpleGrantedAuthority(authority(role))));
        }
    }
}
