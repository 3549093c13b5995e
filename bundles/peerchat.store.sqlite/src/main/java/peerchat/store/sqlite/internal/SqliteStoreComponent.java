package peerchat.store.sqlite.internal;

import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import peerchat.api.store.MessageStore;
import peerchat.api.store.StateChange;
import peerchat.api.store.StoreException;
import peerchat.api.store.StoredContact;
import peerchat.api.store.StoredMessage;

/**
 * Registers the SQLite message store. The database file is {@code database} from the configuration,
 * else {@code <data>/store/messages.db} where {@code <data>} is the framework property
 * {@code peerchat.data} (else this bundle's data area). A configuration change reopens the store.
 */
@Component(configurationPid = SqliteStoreComponent.PID, service = MessageStore.class)
@Designate(ocd = SqliteStoreConfig.class)
public final class SqliteStoreComponent implements MessageStore {

    static final String PID = "peerchat.store.sqlite";
    static final String DATA_PROPERTY = "peerchat.data";
    /** sqlite-jdbc extracts its native library into this folder (default: java.io.tmpdir). */
    static final String SQLITE_TMPDIR = "org.sqlite.tmpdir";

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    private SqliteMessageStore store;

    @Activate
    void activate(BundleContext context, SqliteStoreConfig config) throws StoreException {
        nativeLibraryFolder(context);
        Path file = databaseFile(context, config.database());
        StoreLog log = new StoreLog() {
            @Override
            public void info(String message) {
                logger.info(message);
            }

            @Override
            public void warn(String message, Throwable cause) {
                logger.warn(message, cause);
            }

            @Override
            public void error(String message, Throwable cause) {
                logger.error(message, cause);
            }
        };
        try {
            store = SqliteMessageStore.open(StoreSettings.of(file).withMaxBatch(config.maxBatch()).withLog(log));
        } catch (StoreException e) {
            logger.error("message store not available: " + e.getMessage(), e);
            throw e;
        }
    }

    @Deactivate
    void deactivate() {
        store.close();
    }

    static Path databaseFile(BundleContext context, String configured) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim());
        }
        String data = context.getProperty(DATA_PROPERTY);
        if (data != null && !data.isBlank()) {
            return Path.of(data, "store", "messages.db");
        }
        File area = context.getDataFile("");
        if (area == null) {
            throw new IllegalStateException("no place for the message store: framework property " + DATA_PROPERTY
                    + " is unset, the configuration names no file and the framework has no bundle data area");
        }
        return area.toPath().resolve("store").resolve("messages.db");
    }

    /**
     * sqlite-jdbc loads its native library by extracting it from its jar to {@code org.sqlite.tmpdir}
     * (default {@code java.io.tmpdir}, which may be mounted noexec, and which a killed JVM leaves
     * copies in). Unless the property is set already, point it at this bundle's data area, inside
     * the framework storage. It is read once, when the first connection loads the library.
     */
    private void nativeLibraryFolder(BundleContext context) {
        if (System.getProperty(SQLITE_TMPDIR) != null) {
            return;
        }
        File area = context.getDataFile("native");
        if (area != null && (area.isDirectory() || area.mkdirs())) {
            System.setProperty(SQLITE_TMPDIR, area.getAbsolutePath());
        }
    }

    @Override
    public List<StoredMessage> add(List<StoredMessage> messages) throws StoreException {
        return store.add(messages);
    }

    @Override
    public void update(List<StateChange> changes) throws StoreException {
        store.update(changes);
    }

    @Override
    public Optional<StoredMessage> get(long seq) {
        return store.get(seq);
    }

    @Override
    public List<StoredMessage> conversation(String peer, long beforeSeq, int limit) {
        return store.conversation(peer, beforeSeq, limit);
    }

    @Override
    public long count(String peer) {
        return store.count(peer);
    }

    @Override
    public List<StoredMessage> outbox() {
        return store.outbox();
    }

    @Override
    public List<StoredMessage> search(String text, String peer, int limit) {
        return store.search(text, peer, limit);
    }

    @Override
    public void seen(String name, Instant at) throws StoreException {
        store.seen(name, at);
    }

    @Override
    public List<StoredContact> contacts() {
        return store.contacts();
    }

    @Override
    public Optional<String> fault() {
        return store.fault();
    }
}
