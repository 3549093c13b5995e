package peerchat.example.stats;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import peerchat.api.chat.ChatListener;
import peerchat.api.dto.ChatMessage;
import peerchat.ui.api.UiExecutor;
import peerchat.ui.api.ViewArea;
import peerchat.ui.api.ViewContribution;

/**
 * A "Statistics" tab in the bottom area: per peer, messages sent, received and failed, characters
 * and the time of the last message. Counts from the moment the plugin starts.
 */
@Component(service = { ViewContribution.class, ChatListener.class },
        property = ViewContribution.VIEW_ID + "=" + StatsView.ID)
public class StatsView implements ViewContribution, ChatListener {

    static final String ID = "peerchat.example.stats";
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile UiExecutor ui;

    final MessageStats stats = new MessageStats();
    /** Only touched on the UI thread. */
    private Table table;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Statistics";
    }

    @Override
    public ViewArea area() {
        return ViewArea.BOTTOM;
    }

    @Override
    public void createView(Composite parent) {
        table = new Table(parent, SWT.FULL_SELECTION | SWT.BORDER);
        table.setHeaderVisible(true);
        for (String title : new String[] { "Peer", "Sent", "Received", "Failed", "Characters", "Last" }) {
            TableColumn column = new TableColumn(table, SWT.LEFT);
            column.setText(title);
            column.setWidth(title.equals("Peer") ? 140 : 90);
        }
        refresh();
    }

    @Override
    public void disposeView() {
        table = null; // a child of the parent: the workbench disposes it
    }

    @Override
    public void messageChanged(ChatMessage message) {
        UiExecutor executor = ui;
        if (stats.add(message) && executor != null) {
            executor.execute(this::refresh);
        }
    }

    /** On the UI thread. */
    private void refresh() {
        Table t = table;
        if (t == null || t.isDisposed()) {
            return;
        }
        t.removeAll();
        for (MessageStats.Row row : stats.rows()) {
            TableItem item = new TableItem(t, SWT.NONE);
            item.setText(new String[] { row.peer(), Integer.toString(row.sent()), Integer.toString(row.received()),
                    Integer.toString(row.failed()), Long.toString(row.characters()),
                    row.last() == null ? "" : CLOCK.format(row.last()) });
        }
    }
}
