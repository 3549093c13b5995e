package peerchat.ui.workbench.internal;

/** What the menus and the tool bar ask for; the component does the work off the UI thread. */
interface WorkbenchActions {

    void connect();

    void disconnect();

    /** Ends the application: the whole framework stops. */
    void quit();
}
