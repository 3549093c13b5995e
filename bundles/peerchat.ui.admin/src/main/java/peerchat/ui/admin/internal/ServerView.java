package peerchat.ui.admin.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.List;
import org.eclipse.swt.widgets.Text;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import peerchat.api.dto.ServerInfo;
import peerchat.api.server.RosterServer;
import peerchat.ui.api.UiExecutor;
import peerchat.ui.api.ViewArea;
import peerchat.ui.api.ViewContribution;
import peerchat.ui.support.Widgets;

/**
 * The embedded roster server (what the original's server window showed, and more): start and stop on
 * a port, its address and uptime, the connected clients, frame counters and rejects, and a live log
 * of logins and logouts. Present only while the server bundle is (its reference is mandatory).
 */
@Component(service = ViewContribution.class, property = ViewContribution.VIEW_ID + "=" + ServerView.ID)
public class ServerView implements ViewContribution {

    static final String ID = "peerchat.server";
    static final long POLL_MILLIS = 500;

    @Reference
    private UiExecutor ui;

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    @Reference(cardinality = ReferenceCardinality.MANDATORY, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RosterServer server;

    private ScheduledExecutorService background;
    /** UI thread only. */
    private final ClientLog log = new ClientLog(ZoneId.systemDefault());
    private Label state;
    private Label counters;
    private Text port;
    private Button start;
    private Button stop;
    private List clients;
    private List events;
    /** The last "cannot start" text, kept on screen until the server runs. */
    private String failedStart = "";

    @Activate
    void activate() {
        background = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "peerchat-ui-server");
            thread.setDaemon(true);
            return thread;
        });
        background.scheduleWithFixedDelay(this::poll, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        background.shutdownNow();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return Texts.get("server.title");
    }

    @Override
    public ViewArea area() {
        return ViewArea.BOTTOM;
    }

    @Override
    public ImageData icon() {
        return Widgets.dotData(new RGB(0x6a, 0x4c, 0x9c));
    }

    @Override
    public void createView(Composite parent) {
        Composite body = new Composite(parent, SWT.NONE);
        body.setLayout(new GridLayout(3, true));

        Composite left = new Composite(body, SWT.NONE);
        left.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        left.setLayout(new GridLayout(3, false));
        state = Widgets.accessible(new Label(left, SWT.WRAP), "server.state", Texts.get("server.state.name"));
        state.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
        counters = Widgets.accessible(new Label(left, SWT.WRAP), "server.counters", Texts.get("server.counters.name"));
        counters.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
        Label portLabel = new Label(left, SWT.NONE);
        portLabel.setText(Texts.get("server.port"));
        port = Widgets.accessible(new Text(left, SWT.BORDER | SWT.SINGLE), "server.port", Texts.get("server.port.name"));
        port.setText("5555");
        GridData portData = new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1);
        portData.widthHint = 60;
        port.setLayoutData(portData);
        start = Widgets.accessible(new Button(left, SWT.PUSH), "server.start", Texts.get("server.start.name"));
        start.setText(Texts.get("server.start"));
        start.addListener(SWT.Selection, event -> startServer());
        stop = Widgets.accessible(new Button(left, SWT.PUSH), "server.stop", Texts.get("server.stop.name"));
        stop.setText(Texts.get("server.stop"));
        stop.addListener(SWT.Selection, event -> background.execute(() -> {
            RosterServer current = server;
            if (current != null) {
                current.stop();
            }
        }));

        Composite middle = titled(body, Texts.get("server.clients"));
        clients = Widgets.accessible(new List(middle, SWT.BORDER | SWT.V_SCROLL), "server.clients", Texts.get("server.clients.name"));
        clients.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        Composite right = titled(body, Texts.get("server.log"));
        events = Widgets.accessible(new List(right, SWT.BORDER | SWT.V_SCROLL), "server.log", Texts.get("server.log.name"));
        events.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    }

    private static Composite titled(Composite parent, String title) {
        Composite box = new Composite(parent, SWT.NONE);
        box.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        GridLayout layout = new GridLayout(1, false);
        layout.marginHeight = 0;
        box.setLayout(layout);
        Label label = new Label(box, SWT.NONE);
        label.setText(title);
        return box;
    }

    @Override
    public void disposeView() {
        state = null;
        clients = null;
        events = null;
    }

    private void startServer() {
        int wanted;
        try {
            wanted = Integer.parseInt(port.getText().strip());
        } catch (NumberFormatException e) {
            wanted = -1;
        }
        if (wanted < 0 || wanted > 65535) {
            state.setText(Texts.get("server.badPort"));
            return;
        }
        int chosen = wanted;
        background.execute(() -> {
            RosterServer current = server;
            try {
                if (current != null) {
                    current.start("", chosen);
                }
            } catch (java.io.IOException e) {
                logger.warn("cannot start the roster server on port {}: {}", chosen, e.getMessage());
                ui.execute(() -> {
                    if (Widgets.alive(state)) {
                        failedStart = Texts.get("server.cannotStart", e.getMessage());
                        state.setText(failedStart);
                    }
                });
            }
        });
    }

    /** Background: read the server's state, then show it. */
    private void poll() {
        RosterServer current = server;
        if (current == null) {
            return;
        }
        ServerInfo info = current.info();
        Instant now = Instant.now();
        ui.execute(() -> show(info, now));
    }

    private void show(ServerInfo info, Instant now) {
        boolean changed = log.update(now, info.running(), String.valueOf(info.address()), info.clients());
        if (!Widgets.alive(state)) {
            return;
        }
        String text = info.running()
                ? Texts.get("server.running", info.address(), uptime(info.uptime()))
                : Texts.get("server.stopped");
        if (!state.getText().equals(failedStart) || info.running()) {
            state.setText(text);
        }
        counters.setText(Texts.get("server.counters", Long.toString(info.framesIn()), Long.toString(info.framesOut()), rejects(info.rejects())));
        start.setEnabled(!info.running());
        stop.setEnabled(info.running());
        if (info.running() && info.address() != null && !port.isFocusControl()) {
            port.setText(Integer.toString(info.address().port()));
        }
        String[] names = info.clients().toArray(String[]::new);
        if (!java.util.Arrays.equals(names, clients.getItems())) {
            clients.setItems(names);
        }
        if (changed) {
            events.setItems(log.lines().toArray(String[]::new));
            events.setTopIndex(Math.max(0, events.getItemCount() - 1));
        }
        state.getParent().layout(true);
    }

    static String uptime(Duration uptime) {
        long seconds = uptime.toSeconds();
        return seconds < 60 ? seconds + " s"
                : seconds < 3600 ? seconds / 60 + " min " + seconds % 60 + " s"
                : seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }

    static String rejects(Map<String, Long> rejects) {
        if (rejects.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder(Texts.get("server.rejected"));
        rejects.forEach((reason, count) -> text.append(' ').append(reason).append(' ').append(count));
        return text.toString();
    }
}
