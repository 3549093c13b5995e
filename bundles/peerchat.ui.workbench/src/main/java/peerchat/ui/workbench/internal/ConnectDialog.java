package peerchat.ui.workbench.internal;

import java.util.List;
import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

import peerchat.ui.support.Widgets;

/**
 * Log in: name, roster server, and whether to host the roster server in this workbench. Modal but
 * without a nested event loop: the choice goes to a callback, the work happens elsewhere.
 */
final class ConnectDialog {

    /** What the user chose; {@code hostPort} is 0 when not hosting. */
    record Choice(String name, String server, boolean host, int hostPort, String bindHost) {
    }

    private ConnectDialog() {
    }

    static Shell open(Shell parent, Choice initial, List<Interfaces.Choice> interfaces, Consumer<Choice> onConnect) {
        Shell dialog = new Shell(parent, SWT.DIALOG_TRIM | SWT.APPLICATION_MODAL);
        dialog.setText(Texts.get("connect.title"));
        Widgets.name(dialog, "connect.dialog");
        dialog.setLayout(new GridLayout(2, false));

        Text name = field(dialog, Texts.get("connect.name"), initial.name(), "connect.name");
        Text server = field(dialog, Texts.get("connect.server"), initial.server(), "connect.server");
        Button host = new Button(dialog, SWT.CHECK);
        host.setText(Texts.get("connect.host"));
        host.setSelection(initial.host());
        Widgets.name(host, "connect.host");
        Text port = new Text(dialog, SWT.BORDER | SWT.SINGLE);
        port.setText(Integer.toString(initial.hostPort() == 0 ? 5555 : initial.hostPort()));
        Widgets.accessible(port, "connect.hostPort", Texts.get("connect.hostPort.name"));
        port.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));

        Label bindLabel = new Label(dialog, SWT.NONE);
        bindLabel.setText(Texts.get("connect.bind"));
        Combo bind = new Combo(dialog, SWT.READ_ONLY | SWT.DROP_DOWN);
        bind.setItems(interfaces.stream().map(Interfaces.Choice::label).toArray(String[]::new));
        bind.select(Interfaces.indexOf(interfaces, initial.bindHost()));
        Widgets.accessible(bind, "connect.bind", Texts.get("connect.bind.name"));
        bind.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));

        Label problem = new Label(dialog, SWT.WRAP);
        problem.setForeground(dialog.getDisplay().getSystemColor(SWT.COLOR_RED));
        problem.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));

        Button connect = new Button(dialog, SWT.PUSH);
        connect.setText(Texts.get("connect.ok"));
        Widgets.name(connect, "connect.ok");
        Button cancel = new Button(dialog, SWT.PUSH);
        cancel.setText(Texts.get("connect.cancel"));
        connect.setLayoutData(new GridData(SWT.END, SWT.CENTER, true, false));
        dialog.setDefaultButton(connect);

        connect.addListener(SWT.Selection, event -> {
            String chosenName = name.getText().strip();
            if (chosenName.isEmpty() || chosenName.chars().anyMatch(Character::isWhitespace)) {
                problem.setText(Texts.get("connect.badName"));
                dialog.layout(true);
                return;
            }
            int hostPort = 0;
            if (host.getSelection()) {
                try {
                    hostPort = Integer.parseInt(port.getText().strip());
                } catch (NumberFormatException e) {
                    hostPort = -1;
                }
                if (hostPort < 1 || hostPort > 65535) {
                    problem.setText(Texts.get("connect.badPort"));
                    dialog.layout(true);
                    return;
                }
            }
            String bindHost = bind.getSelectionIndex() < 0 ? Interfaces.ALL : interfaces.get(bind.getSelectionIndex()).host();
            Choice choice = new Choice(chosenName, server.getText().strip(), host.getSelection(), hostPort, bindHost);
            dialog.dispose();
            onConnect.accept(choice);
        });
        cancel.addListener(SWT.Selection, event -> dialog.dispose());
        dialog.pack();
        dialog.setSize(Math.max(420, dialog.getSize().x), dialog.getSize().y);
        var outer = parent.getBounds();
        var size = dialog.getSize();
        dialog.setLocation(outer.x + (outer.width - size.x) / 2, outer.y + (outer.height - size.y) / 3);
        dialog.open();
        name.setFocus();
        return dialog;
    }

    private static Text field(Shell dialog, String label, String value, String id) {
        Label caption = new Label(dialog, SWT.NONE);
        caption.setText(label);
        Text text = new Text(dialog, SWT.BORDER | SWT.SINGLE);
        text.setText(value == null ? "" : value);
        Widgets.accessible(text, id, label.replace("&", "").replace(":", ""));
        GridData data = new GridData(SWT.FILL, SWT.CENTER, true, false);
        data.widthHint = 220;
        text.setLayoutData(data);
        return text;
    }
}
