package peerchat.transport.udp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Assume;
import org.junit.Test;

/**
 * Real-kernel fault test: two engines in a fresh network namespace whose loopback loses 20%,
 * duplicates 10%, reorders 10% and delays 0-50 ms of all datagrams ({@code tc netem}). Kernels
 * without netem (no {@code sch_netem}, as on the project's VMs) get nftables rules instead that
 * drop 20% and duplicate 10% of the UDP datagrams to the engines' ports (no delay or reordering;
 * the in-JVM {@link LossyNetworkTest} covers those); the test prints which it used and why. Needs
 * root and iproute2, plus netem or nftables (CI: {@code apt-get install -y iproute2 nftables});
 * otherwise it prints why and is skipped.
 */
public class NamespaceFaultSmokeTest {

    private static final int PORT_A = 40001;
    private static final int PORT_B = 40002;
    private static final String RULES = """
            table inet peerchat_chaos {
              chain in {
                type filter hook input priority 0; policy accept;
                udp dport { %1$d, %2$d } numgen random mod 100 < 20 drop
              }
            }
            table ip peerchat_dup {
              chain out {
                type filter hook output priority 0; policy accept;
                udp dport { %1$d, %2$d } numgen random mod 100 < 10 dup to 127.0.0.1
              }
            }
            """.formatted(PORT_A, PORT_B);

    private final String namespace = "peerchat-smoke-" + ProcessHandle.current().pid();
    private boolean created;

    @After
    public void removeNamespace() throws Exception {
        if (created) {
            run(10, "ip", "netns", "del", namespace);
        }
    }

    @Test
    public void messagesSurviveKernelLossAndDuplication() throws Exception {
        skipUnless(System.getProperty("os.name").toLowerCase().contains("linux"), "not Linux");
        skipUnless(onPath("ip"), "iproute2 ('ip') is not installed");
        Result uid = run(10, "id", "-u");
        skipUnless(uid.code == 0 && uid.output.trim().equals("0"), "not running as root");
        Result add = run(10, "ip", "netns", "add", namespace);
        skipUnless(add.code == 0, "cannot create a network namespace: " + add.output.trim());
        created = true;
        assertEquals(0, run(10, "ip", "-n", namespace, "link", "set", "lo", "up").code);
        Result netem = onPath("tc") ? run(10, "ip", "netns", "exec", namespace, "tc", "qdisc", "add", "dev", "lo",
                "root", "netem", "delay", "25ms", "25ms", "loss", "20%", "duplicate", "10%", "reorder", "10%")
                : new Result(-1, "'tc' is not installed");
        if (netem.code == 0) {
            System.out.println("namespace fault test: tc netem on lo: loss 20%, duplicate 10%, reorder 10%, "
                    + "delay 25 ms +/- 25 ms");
            exchange(500, "netem");
            return;
        }
        System.out.println("namespace fault test: no netem (" + netem.output.trim()
                + "), nftables instead: loss 20% and duplicate 10% on the engines' ports, no delay or reordering");
        skipUnless(onPath("nft"), "neither netem nor nftables ('nft') is available (apt-get install nftables)");
        Path rules = Files.createTempFile("peerchat-nft", ".conf");
        try {
            Files.writeString(rules, RULES);
            Result nft = run(10, "ip", "netns", "exec", namespace, "nft", "-f", rules.toString());
            skipUnless(nft.code == 0, "nftables rules rejected (kernel without nf_tables?): " + nft.output.trim());
        } finally {
            Files.deleteIfExists(rules);
        }
        exchange(2000, "nftables");
    }

    /** Runs {@link NamespacePeers} in the namespace: {@code messages} each way, all must arrive once, in order. */
    private void exchange(int messages, String faults) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Result peers = run(240, "ip", "netns", "exec", namespace, java, "-cp", System.getProperty("java.class.path"),
                NamespacePeers.class.getName(), Integer.toString(PORT_A), Integer.toString(PORT_B),
                Integer.toString(messages));
        System.out.println("namespace fault test (" + faults + "): " + peers.output.trim());
        assertEquals(peers.output, 0, peers.code);
        assertTrue(peers.output, peers.output.contains("OK undelivered=0"));
        assertTrue("the kernel really dropped datagrams: " + peers.output, !peers.output.contains("retransmitted=0 "));
    }

    private static void skipUnless(boolean condition, String reason) {
        if (!condition) {
            System.out.println("SKIPPED NamespaceFaultSmokeTest: " + reason);
        }
        Assume.assumeTrue(reason, condition);
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(List.of(path == null ? new String[0] : path.split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/sbin"));
        return dirs.stream().anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    private record Result(int code, String output) {
    }

    private static Result run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        String path = System.getenv("PATH");
        builder.environment().put("PATH", (path == null ? "" : path + File.pathSeparator) + "/usr/sbin:/sbin");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        }
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            return new Result(-2, "timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8));
    }
}
