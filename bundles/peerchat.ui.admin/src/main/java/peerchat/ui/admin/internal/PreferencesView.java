package peerchat.ui.admin.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

import peerchat.ui.api.UiExecutor;
import peerchat.ui.api.ViewArea;
import peerchat.ui.api.ViewContribution;
import peerchat.ui.support.Widgets;

/**
 * Preferences generated from the metatype of our configurable components (ports, timeouts, limits):
 * pick a component, edit its fields, Apply writes through ConfigAdmin and the component takes the new
 * values live. Reading and writing configuration happen on a worker thread.
 */
@Component(service = ViewContribution.class, property = ViewContribution.VIEW_ID + "=" + PreferencesView.ID)
public class PreferencesView implements ViewContribution {

    static final String ID = "peerchat.preferences";
    /** Only our own components: the infrastructure's settings are not for this view. */
    static final String PREFIX = "peerchat.";

    @Reference
    private UiExecutor ui;

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    @Reference
    private MetaTypeService metaType;

    @Reference
    private ConfigurationAdmin configurationAdmin;

    private BundleContext context;
    private ExecutorService worker;
    /** UI thread only. */
    private Combo chooser;
    private Composite form;
    private ScrolledComposite scroller;
    private Label message;
    private final Map<String, ObjectClassDefinition> definitions = new TreeMap<>();
    private final Map<AttributeDefinition, Control> fields = new LinkedHashMap<>();
    private String shownPid;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
        worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "peerchat-ui-preferences");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Deactivate
    void deactivate() {
        worker.shutdownNow();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return Texts.get("preferences.title");
    }

    @Override
    public ViewArea area() {
        return ViewArea.BOTTOM;
    }

    @Override
    public ImageData icon() {
        return Widgets.dotData(new RGB(0xc0, 0x80, 0x20));
    }

    @Override
    public void createView(Composite parent) {
        Composite body = new Composite(parent, SWT.NONE);
        body.setLayout(new GridLayout(3, false));
        Label label = new Label(body, SWT.NONE);
        label.setText(Texts.get("preferences.component"));
        chooser = Widgets.accessible(new Combo(body, SWT.READ_ONLY | SWT.DROP_DOWN), "preferences.component",
                Texts.get("preferences.component.name"));
        chooser.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        chooser.addListener(SWT.Selection, event -> load(pidAt(chooser.getSelectionIndex())));
        Button apply = Widgets.accessible(new Button(body, SWT.PUSH), "preferences.apply", Texts.get("preferences.apply.name"));
        apply.setText(Texts.get("preferences.apply"));
        apply.addListener(SWT.Selection, event -> apply());

        scroller = new ScrolledComposite(body, SWT.V_SCROLL | SWT.H_SCROLL | SWT.BORDER);
        scroller.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 3, 1));
        scroller.setExpandHorizontal(true);
        scroller.setExpandVertical(true);
        form = new Composite(scroller, SWT.NONE);
        form.setLayout(new GridLayout(3, false));
        scroller.setContent(form);
        message = Widgets.accessible(new Label(body, SWT.WRAP), "preferences.message", Texts.get("preferences.message.name"));
        message.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
        findDefinitions();
    }

    @Override
    public void disposeView() {
        chooser = null;
        form = null;
        fields.clear();
        definitions.clear();
    }

    private String pidAt(int index) {
        return index < 0 ? null : new ArrayList<>(definitions.keySet()).get(index);
    }

    /** Worker: every PID with a metatype among the bundles. */
    private void findDefinitions() {
        worker.execute(() -> {
            Map<String, ObjectClassDefinition> found = new TreeMap<>();
            for (Bundle bundle : context.getBundles()) {
                MetaTypeInformation information = metaType.getMetaTypeInformation(bundle);
                if (information == null) {
                    continue;
                }
                for (String pid : information.getPids()) {
                    if (pid.startsWith(PREFIX)) {
                        found.put(pid, information.getObjectClassDefinition(pid, null));
                    }
                }
            }
            ui.execute(() -> {
                if (!Widgets.alive(chooser)) {
                    return;
                }
                definitions.clear();
                definitions.putAll(found);
                List<String> names = new ArrayList<>();
                found.forEach((pid, ocd) -> names.add(ocd.getName() + "  (" + pid + ")"));
                chooser.setItems(names.toArray(String[]::new));
                if (!names.isEmpty()) {
                    chooser.select(0);
                    load(pidAt(0));
                }
            });
        });
    }

    /** Worker reads the stored values; the UI thread builds the form. */
    private void load(String pid) {
        if (pid == null) {
            return;
        }
        ObjectClassDefinition ocd = definitions.get(pid);
        worker.execute(() -> {
            Dictionary<String, Object> stored;
            try {
                stored = configurationAdmin.getConfiguration(pid, "?").getProperties();
            } catch (IOException e) {
                logger.warn("cannot read the configuration {}: {}", pid, e.getMessage());
                stored = null;
            }
            Dictionary<String, Object> values = stored;
            ui.execute(() -> buildForm(pid, ocd, values));
        });
    }

    private void buildForm(String pid, ObjectClassDefinition ocd, Dictionary<String, Object> stored) {
        if (!Widgets.alive(form)) {
            return;
        }
        for (Control child : form.getChildren()) {
            child.dispose();
        }
        fields.clear();
        shownPid = pid;
        Label about = new Label(form, SWT.NONE);
        about.setText(ocd.getDescription() == null ? "" : ocd.getDescription());
        about.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
        AttributeDefinition[] attributes = ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
        for (AttributeDefinition attribute : attributes == null ? new AttributeDefinition[0] : attributes) {
            Label name = new Label(form, SWT.NONE);
            name.setText(attribute.getName() + ":");
            Control field;
            if (attribute.getType() == AttributeDefinition.BOOLEAN && attribute.getCardinality() == 0) {
                Button check = new Button(form, SWT.CHECK);
                check.setSelection(Boolean.parseBoolean(Settings.text(attribute, stored)));
                field = check;
            } else {
                Text text = new Text(form, SWT.BORDER | SWT.SINGLE);
                text.setText(Settings.text(attribute, stored));
                GridData data = new GridData(SWT.FILL, SWT.CENTER, false, false);
                data.widthHint = 220;
                text.setLayoutData(data);
                field = text;
            }
            Widgets.accessible(field, "preferences." + pid + "." + attribute.getID(), attribute.getName());
            field.setToolTipText(attribute.getDescription());
            Label hint = new Label(form, SWT.NONE);
            hint.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
            hint.setText(attribute.getDescription() == null ? "" : attribute.getDescription());
            hint.setForeground(form.getDisplay().getSystemColor(SWT.COLOR_WIDGET_DARK_SHADOW));
            fields.put(attribute, field);
        }
        scroller.setMinSize(form.computeSize(SWT.DEFAULT, SWT.DEFAULT));
        form.layout(true, true);
        message.setText("");
    }

    private void apply() {
        String pid = shownPid;
        if (pid == null) {
            return;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        try {
            fields.forEach((attribute, field) -> values.put(attribute.getID(), field instanceof Button check
                    ? Boolean.valueOf(check.getSelection())
                    : Settings.value(attribute, ((Text) field).getText())));
        } catch (IllegalArgumentException e) {
            message.setText(e.getMessage());
            return;
        }
        message.setText(Texts.get("preferences.applying"));
        worker.execute(() -> {
            String outcome;
            try {
                Configuration configuration = configurationAdmin.getConfiguration(pid, "?");
                Dictionary<String, Object> properties = copy(configuration.getProperties());
                Settings.merge(properties, values);
                outcome = configuration.updateIfDifferent(properties) ? Texts.get("preferences.applied", pid) : Texts.get("preferences.unchanged");
            } catch (IOException | IllegalArgumentException e) {
                logger.warn("cannot write the configuration {}: {}", pid, e.getMessage());
                outcome = Texts.get("preferences.cannotApply", e.getMessage());
            }
            String shown = outcome;
            ui.execute(() -> {
                if (Widgets.alive(message)) {
                    message.setText(shown);
                }
            });
        });
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> existing) {
        Hashtable<String, Object> copy = new Hashtable<>();
        if (existing != null) {
            for (Enumeration<String> keys = existing.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                copy.put(key, existing.get(key));
            }
        }
        return copy;
    }
}
