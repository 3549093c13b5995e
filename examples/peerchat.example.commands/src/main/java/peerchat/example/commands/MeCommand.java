package peerchat.example.commands;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import peerchat.api.chat.ChatCommand;
import peerchat.api.roster.RosterClient;

/** {@code /me waves} sends {@code * alice waves}, with your user name from the roster client. */
@Component
public class MeCommand implements ChatCommand {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile RosterClient roster;

    @Override
    public String name() {
        return "me";
    }

    @Override
    public String help() {
        return "/me ACTION - tell what you are doing, e.g. /me waves";
    }

    @Override
    public String execute(String peer, String args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("usage: /me ACTION");
        }
        RosterClient client = roster; // dynamic: copy before use
        String me = client == null ? "me" : client.userName().orElse("me");
        return "* " + me + " " + args;
    }
}
