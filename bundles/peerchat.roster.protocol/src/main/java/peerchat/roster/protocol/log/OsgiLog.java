package peerchat.roster.protocol.log;

import org.osgi.service.log.Logger;

/** {@link Log} on top of an OSGi Log Service logger. */
public final class OsgiLog implements Log {
    private final Logger logger;

    public OsgiLog(Logger logger) {
        this.logger = logger;
    }

    // Messages go in as an argument, never as the format, so '{' in peer data cannot garble them.
    @Override
    public void debug(String message) {
        logger.debug("{}", message);
    }

    @Override
    public void info(String message) {
        logger.info("{}", message);
    }

    @Override
    public void warn(String message) {
        logger.warn("{}", message);
    }

    @Override
    public void error(String message, Throwable cause) {
        if (cause == null) {
            logger.error("{}", message);
        } else {
            logger.error("{}", message, cause);
        }
    }
}
