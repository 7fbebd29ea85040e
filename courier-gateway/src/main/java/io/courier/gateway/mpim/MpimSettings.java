package io.courier.gateway.mpim;

/**
 * What the MPIM line protocol takes from the configuration.
 *
 * @param pullLimit        most messages one PULL returns ({@code gateway.login-backlog}, as for a native login)
 * @param maxOutboundBytes unread output after which a connection is a slow consumer ({@code gateway.max-outbound})
 * @param instantFriends   whether ADDFRIEND befriends at once as MPIM does, instead of asking ({@code mpim.instant-friends})
 */
public record MpimSettings(int pullLimit, int maxOutboundBytes, boolean instantFriends) {
}
