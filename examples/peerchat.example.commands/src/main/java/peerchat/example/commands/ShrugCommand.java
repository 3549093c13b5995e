package peerchat.example.commands;

import org.osgi.service.component.annotations.Component;

import peerchat.api.chat.ChatCommand;

/** {@code /shrug no idea} sends {@code no idea ¯\_(ツ)_/¯}. */
@Component
public class ShrugCommand implements ChatCommand {

    static final String SHRUG = "¯\\_(ツ)_/¯";

    @Override
    public String name() {
        return "shrug";
    }

    @Override
    public String help() {
        return "/shrug [TEXT] - send TEXT followed by " + SHRUG;
    }

    @Override
    public String execute(String peer, String args) {
        return args.isEmpty() ? SHRUG : args + " " + SHRUG;
    }
}
