package peerchat.example.commands;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Optional;

import org.junit.Test;

import peerchat.api.roster.RosterClient;

public class CommandsTest {

    /** A roster client that only knows our name; the other methods are not used. */
    private static RosterClient loggedInAs(String name) {
        return (RosterClient) Proxy.newProxyInstance(CommandsTest.class.getClassLoader(),
                new Class<?>[] { RosterClient.class }, (proxy, method, args) -> {
                    if (method.getName().equals("userName")) {
                        return Optional.ofNullable(name);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    public void meSaysWhatYouDoWithYourName() {
        MeCommand me = new MeCommand();
        me.roster = loggedInAs("alice");
        assertEquals("* alice waves at you", me.execute("bob", "waves at you"));
    }

    @Test
    public void meWithoutRosterOrLoginStillWorks() {
        MeCommand me = new MeCommand();
        assertEquals("* me waves", me.execute("bob", "waves"));
        me.roster = loggedInAs(null);
        assertEquals("* me waves", me.execute("bob", "waves"));
    }

    @Test
    public void meWithoutActionExplainsUsage() {
        MeCommand me = new MeCommand();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> me.execute("bob", ""));
        assertEquals("usage: /me ACTION", e.getMessage());
    }

    @Test
    public void shrugAppendsTheShrug() {
        ShrugCommand shrug = new ShrugCommand();
        assertEquals("no idea ¯\\_(ツ)_/¯", shrug.execute("bob", "no idea"));
        assertEquals("¯\\_(ツ)_/¯", shrug.execute("bob", ""));
    }

    @Test
    public void namesAndHelpStartWithTheUsage() {
        assertEquals("me", new MeCommand().name());
        assertEquals("shrug", new ShrugCommand().name());
        assertTrue(new MeCommand().help().startsWith("/me "));
        assertTrue(new ShrugCommand().help().startsWith("/shrug "));
    }
}
