package peerchat.ui.chat.internal;

import java.util.List;

/** Inside this bundle: the Roster view asks the Conversations view to open a tab. Any thread. */
interface ConversationOpener {

    void open(String peer);

    /** A tab that sends each message to all of them. */
    void openGroup(List<String> peers);
}
