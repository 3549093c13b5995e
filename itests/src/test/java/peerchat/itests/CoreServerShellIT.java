package peerchat.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import peerchat.api.chat.ChatService;
import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.RosterEntry;
import peerchat.api.dto.ServerInfo;
import peerchat.api.roster.RosterClient;
import peerchat.api.server.RosterServer;

/** Boots the core, server and shell features in a real Felix: everything resolves, wires and works. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CoreServerShellIT {

    @Inject
    private BundleContext context;
    @Inject
    private ServiceComponentRuntime scr;
    @Inject
    private RosterServer server;
    @Inject
    private RosterClient roster;
    @Inject
    private ChatService chat;

    @Configuration
    public Option[] config() throws Exception {
        return options(
                junitBundles(),
                frameworkProperty("peerchat.data").value(System.getProperty("peerchat.itest.data")),
                // the console would read the test JVM's stdin; commands are still registered
                frameworkProperty("gosh.args").value("--nointeractive --noshutdown"),
                // the distribution's profile, as the launcher sets it (Felix's own fails without a console)
                frameworkProperty("gosh.home").value(System.getProperty("peerchat.home")),
                composite(FeatureBundles.ofDistribution().options("core", "server", "shell").toArray(Option[]::new)));
    }

    @Test
    public void everyBundleIsActive() {
        List<String> notActive = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            boolean fragment = bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (!fragment && bundle.getState() != Bundle.ACTIVE) {
                notActive.add(bundle.getSymbolicName() + " state " + bundle.getState());
            }
        }
        assertEquals("bundles not active", List.of(), notActive);
    }

    @Test
    public void everyComponentIsSatisfied() {
        List<String> problems = new ArrayList<>();
        int ours = 0;
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (!description.bundle.symbolicName.startsWith("peerchat.")) {
                continue;
            }
            ours++;
            if (!scr.isComponentEnabled(description)) {
                problems.add(description.name + " disabled");
            }
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                if (configuration.state != ComponentConfigurationDTO.ACTIVE
                        && configuration.state != ComponentConfigurationDTO.SATISFIED) {
                    problems.add(description.name + " state " + configuration.state
                            + " unsatisfied references " + Arrays.stream(configuration.unsatisfiedReferences).map(r -> r.name).toList()
                            + " " + configuration.failure);
                }
            }
        }
        assertEquals("unsatisfied components", List.of(), problems);
        assertTrue("expected the components of transport, roster client, server, chat, log and shell, found " + ours,
                ours >= 6);
    }

    @Test
    public void aUserLogsInToTheEmbeddedServerAndChatsWithThemself() throws Exception {
        ServerInfo info = server.start("127.0.0.1", 0);
        try {
            assertTrue(info.running());
            List<RosterEntry> snapshot = roster.login("itest", new PeerAddress("127.0.0.1", info.address().port()))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(List.of("itest"), snapshot.stream().map(RosterEntry::name).toList());
            assertEquals(List.of("itest"), server.info().clients());

            DeliveryResult result = chat.send("itest", "hello from inside Felix")
                    .toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertEquals(DeliveryStatus.DELIVERED, result.status());

            List<String> texts = waitForHistory("itest", 2);
            assertEquals(List.of("hello from inside Felix", "hello from inside Felix"), texts);
        } finally {
            roster.logout().toCompletableFuture().get(10, TimeUnit.SECONDS);
            server.stop();
        }
    }

    /** The incoming copy is recorded by the transport's delivery thread, a moment after the receipt. */
    private List<String> waitForHistory(String peer, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<ChatMessage> history = chat.history(peer, 20);
        while (history.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
            history = chat.history(peer, 20);
        }
        return history.stream().map(ChatMessage::text).toList();
    }
}
