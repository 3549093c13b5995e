package peerchat.store.sqlite.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = SqliteStoreComponent.PID, name = "Peers Chatting message store",
        description = "The durable store of every message sent and received (SQLite, one file).")
@interface SqliteStoreConfig {

    @AttributeDefinition(name = "Database file",
            description = "Path of the SQLite file; empty for <data directory>/store/messages.db.")
    String database() default "";

    @AttributeDefinition(name = "Largest batch",
            description = "Most concurrent writes committed together in one synced transaction.", min = "1")
    int maxBatch() default StoreSettings.DEFAULT_MAX_BATCH;
}
