package peerchat.ui.api;

/** Where in the main window a view would like to be. */
public enum ViewArea {
    /** The narrow column on the left (the roster). */
    LEFT,
    /** The large area in the middle (conversations). */
    CENTER,
    /** The strip below the middle (server, plugins, logs). */
    BOTTOM
}
