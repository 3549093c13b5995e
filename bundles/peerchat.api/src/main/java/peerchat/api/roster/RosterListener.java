package peerchat.api.roster;

import org.osgi.annotation.versioning.ConsumerType;

import peerchat.api.dto.RosterEvent;

/** Register as a service to follow roster changes; called on a background thread, in order. */
@ConsumerType
public interface RosterListener {
    void rosterChanged(RosterEvent event);
}
