package peerchat.shell.internal;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import peerchat.api.chat.ChatCommand;
import peerchat.api.chat.MessageInterceptor;

public class PluginCommandsTest {

    private static ChatCommand command(String name, String help) {
        return new ChatCommand() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String help() {
                return help;
            }

            @Override
            public String execute(String peer, String args) {
                return args;
            }
        };
    }

    private static <S> Map.Entry<Map<String, Object>, S> service(long id, int ranking, S s, Object... more) {
        Map<String, Object> props = new java.util.HashMap<>(
                Map.of("service.id", id, "service.ranking", ranking, "service.bundleid", 40L + id));
        for (int i = 0; i + 1 < more.length; i += 2) {
            props.put((String) more[i], more[i + 1]);
        }
        return Map.entry(props, s);
    }

    @Test
    public void listsOneCommandPerNameSortedWithHelpAndBundle() {
        PluginCommands shell = new PluginCommands();
        List<Map.Entry<Map<String, Object>, ChatCommand>> list = new ArrayList<>();
        list.add(service(1, 0, command("shrug", "/shrug [TEXT] - old")));
        list.add(service(2, 5, command("Shrug", "/shrug [TEXT] - adds a shrug")));
        list.add(service(3, 0, command("me", "/me ACTION - says what you do")));
        shell.commands = list;
        list.add(service(4, 0, command("x", "no usage")));
        assertEquals("/me ACTION - says what you do [bundle 43]\n"
                + "/shrug [TEXT] - adds a shrug [bundle 42]\n"
                + "/x - no usage [bundle 44]", shell.commands());
    }

    @Test
    public void saysWhenNothingIsInstalled() {
        PluginCommands shell = new PluginCommands();
        assertEquals(PluginCommands.NO_COMMANDS, shell.commands());
        assertEquals(PluginCommands.NO_INTERCEPTORS, shell.interceptors());
    }

    @Test
    public void listsInterceptorsInRunningOrder() {
        PluginCommands shell = new PluginCommands();
        MessageInterceptor a = (d, p, t) -> t;
        shell.interceptors = List.of(service(1, 0, a), service(2, 10, a, MessageInterceptor.DIRECTION, "incoming"));
        String[] lines = shell.interceptors().split("\n");
        assertEquals(2, lines.length);
        assertEquals(true, lines[0].startsWith("10 incoming "));
        assertEquals(true, lines[1].startsWith("0 both "));
    }
}
